//! `kring`: serves the platform. `kring admin create --email … --name …` makes
//! an administrator (password read from `KRING_ADMIN_PASSWORD` or standard input);
//! `kring demo --scale` adds a consortium's five years of data to the demo.

use kring_db::demo;
use kring_domain::{Country, DisplayName, Email, Language, NewPassword, Role, TimeZone};
use kring_server::config::Config;
use std::process::ExitCode;

mod allocator;

/// Threads for blocking work (password hashing, password checks) at most:
/// a flood queues for them instead of starting hundreds.
const BLOCKING_THREADS: usize = 64;

fn main() -> ExitCode {
    allocator::return_freed_memory_at_once();
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .build()
    {
        Ok(runtime) => runtime.block_on(run()),
        Err(error) => {
            eprintln!("kring: cannot start the runtime: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] | ["serve"] => serve().await,
        ["admin", "create", rest @ ..] => create_admin(rest).await,
        ["demo", "--scale"] => load_scale().await,
        _ => Err(
            "usage: kring [serve] | kring admin create --email EMAIL --name NAME | kring demo --scale"
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("kring: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Adds a consortium's five years to the demo in `DATABASE_URL`, for measuring
/// pages at scale (`make bench-pages`), and prints where the pages are.
async fn load_scale() -> Result<(), Failure> {
    let config = Config::from_env()?;
    // Its thousands of accounts share the demo's published password.
    if !config.load_demo {
        return Err(
            "demo --scale adds accounts with the demo's password: only with KRING_DEMO=1".into(),
        );
    }
    let db = kring_server::prepare_database(&config)
        .await
        .map_err(|e| format!("database: {e}"))?;
    let started = std::time::Instant::now();
    let Some(report) = demo::load_scale(&db, demo::Scale::CONSORTIUM)
        .await
        .map_err(|e| format!("database: {e}"))?
    else {
        println!("The consortium is already loaded.");
        return Ok(());
    };
    println!(
        "Loaded in {:.0} s: {} members in {} cohorts, {} sessions, {} posts.",
        started.elapsed().as_secs_f64(),
        report.members,
        report.cohorts,
        report.sessions,
        report.posts
    );
    println!(
        "member={} (password {})",
        report.member_email,
        demo::DEMO_PASSWORD
    );
    println!("cohort={}", report.cohort.0);
    println!("category={}", report.category);
    println!("thread={}", report.long_thread.0);
    println!("unit={}", report.unit.0);
    Ok(())
}

/// A command's failure, printed as it reads.
type Failure = Box<dyn std::error::Error>;

async fn serve() -> Result<(), Failure> {
    let config = Config::from_env()?;
    let db = kring_server::prepare_database(&config)
        .await
        .map_err(|e| format!("database: {e}"))?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("{}: {e}", config.addr))?;
    println!(
        "Kring is listening on http://{} ({})",
        config.addr,
        db.engine().name()
    );
    if config.load_demo {
        println!("Demo accounts (password {}):", demo::DEMO_PASSWORD);
        for (email, role, zone) in demo::accounts() {
            println!("  {email:<26} {:<12} {zone}", role.as_str());
        }
        let token = demo::open_invitation(&db)
            .await
            .map_err(|e| format!("database: {e}"))?;
        println!(
            "An invitation into the Spanish group (30 days): {}/join?token={token}",
            config.public_url
        );
    }
    kring_server::spawn_jobs(&config, db.clone())?;
    Ok(kring_server::serve(listener, kring_server::router(&config, db)).await?)
}

fn flag<'a>(args: &[&'a str], name: &str) -> Option<&'a str> {
    args.windows(2)
        .find(|pair| pair[0] == name)
        .map(|pair| pair[1])
}

async fn create_admin(args: &[&str]) -> Result<(), Failure> {
    let email = Email::parse(flag(args, "--email").ok_or("--email is required")?)?;
    let name = DisplayName::parse(flag(args, "--name").unwrap_or("Administrator"))?;
    let password = match std::env::var("KRING_ADMIN_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            eprintln!("Password for {} (8 to 128 characters):", email.as_str());
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let password = NewPassword::parse(&password)?;
    let config = Config::from_env()?;
    let db = kring_server::prepare_database(&config)
        .await
        .map_err(|e| format!("database: {e}"))?;
    let user = db
        .create_user(kring_db::NewUser {
            email,
            display_name: name,
            password,
            role: Role::Admin,
            organisation_id: None,
            country: Country::parse(flag(args, "--country").unwrap_or("NL"))?,
            language: Language::En,
            time_zone: TimeZone::parse(flag(args, "--time-zone").unwrap_or("UTC"))?,
        })
        .await?;
    println!(
        "Created administrator {} ({})",
        user.email.as_str(),
        user.id
    );
    Ok(())
}
