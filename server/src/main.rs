//! `kring`: serves the platform. `kring admin create --email … --name …` makes
//! an administrator (password read from `KRING_ADMIN_PASSWORD` or standard input).

use kring_db::demo;
use kring_domain::{Country, DisplayName, Email, Language, NewPassword, Role, TimeZone};
use kring_server::config::Config;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
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
        _ => Err("usage: kring [serve] | kring admin create --email EMAIL --name NAME".to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("kring: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve() -> Result<(), String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
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
    }
    kring_server::spawn_jobs(&config, db.clone()).map_err(|e| e.to_string())?;
    kring_server::serve(listener, kring_server::router(&config, db))
        .await
        .map_err(|e| e.to_string())
}

fn flag<'a>(args: &[&'a str], name: &str) -> Option<&'a str> {
    args.windows(2)
        .find(|pair| pair[0] == name)
        .map(|pair| pair[1])
}

async fn create_admin(args: &[&str]) -> Result<(), String> {
    let email = Email::parse(flag(args, "--email").ok_or("--email is required")?)
        .map_err(|e| e.to_string())?;
    let name = DisplayName::parse(flag(args, "--name").unwrap_or("Administrator"))
        .map_err(|e| e.to_string())?;
    let password = match std::env::var("KRING_ADMIN_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            eprintln!("Password for {} (8 to 128 characters):", email.as_str());
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| e.to_string())?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let password = NewPassword::parse(&password).map_err(|e| e.to_string())?;
    let config = Config::from_env().map_err(|e| e.to_string())?;
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
            country: Country::parse(flag(args, "--country").unwrap_or("NL"))
                .map_err(|e| e.to_string())?,
            language: Language::En,
            time_zone: TimeZone::parse(flag(args, "--time-zone").unwrap_or("UTC"))
                .map_err(|e| e.to_string())?,
        })
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "Created administrator {} ({})",
        user.email.as_str(),
        user.id
    );
    Ok(())
}
