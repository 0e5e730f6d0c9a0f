//! Readers that never read: a page holds a database connection while it
//! renders, and must not keep it while its bytes wait for the network, or as
//! many stalled readers as the pool has connections lock every page out (a
//! flood of them on purpose, or many phones on a slow link).

use super::support::start;
use kring_db::on_both_engines;
use kring_db::testing::TestDatabase;
use kring_db::{NewReply, POSTS_PER_PAGE};
use kring_domain::forum::{PostBody, ThreadTitle};
use kring_domain::{CategoryId, Email, ThreadId};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// More than either engine's pool holds (8 on SQLite, 16 on PostgreSQL).
const STALLED_READERS: usize = 20;

/// A thread of one page whose posts are 50,000 ampersands each, written out
/// as `&amp;`: 12 MB of HTML, more than the server's write buffer and the
/// sockets' hold. Anyone who may post can make such a page.
async fn heavy_thread(test: &TestDatabase) -> ThreadId {
    let amara = test
        .db
        .user_by_email(&Email::parse("amara@demo.kring").unwrap())
        .await
        .unwrap()
        .id;
    let body = PostBody::parse(&"&".repeat(PostBody::MAX_CHARS)).unwrap();
    let (thread, _) = test
        .db
        .start_thread(
            CategoryId(5),
            amara,
            &ThreadTitle::parse("Every visit, in full").unwrap(),
            &body,
            false,
        )
        .await
        .unwrap();
    for _ in 1..POSTS_PER_PAGE {
        let reply = NewReply {
            thread,
            author: amara,
            body: &body,
            tag: None,
            quote_of: None,
        };
        test.db.reply(&reply).await.unwrap();
    }
    thread
}

/// The session cookie a login sets, as a raw request sends it.
async fn session_cookie(base: &str) -> String {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/login"))
        .form(&[
            ("email", "amara@demo.kring"),
            ("password", kring_db::demo::DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok()?.split(';').next().map(str::to_owned))
        .collect();
    assert!(!cookies.is_empty(), "the login sets a session cookie");
    cookies.join("; ")
}

/// Asks for `path` over a socket with a small receive window, reads the first
/// bytes (the page is rendered by then) and never reads on.
async fn stalled_reader(base: &str, path: &str, cookie: &str) -> TcpStream {
    let address = base.trim_start_matches("http://");
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut stream = socket.connect(address.parse().unwrap()).await.unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nAccept: text/html\r\nCookie: {cookie}\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut head = [0; 512];
    let read = stream.read(&mut head).await.unwrap();
    let head = String::from_utf8_lossy(&head[..read]);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    stream
}

#[tokio::test]
async fn readers_that_never_read_leave_the_database_to_everyone_else() {
    on_both_engines!(async |test: &TestDatabase| {
        let kring = start(test).await;
        let thread = heavy_thread(test).await;
        let cookie = session_cookie(&kring.base).await;
        let path = format!("/forum/threads/{}", thread.0);

        let mut stalled = Vec::new();
        for _ in 0..STALLED_READERS {
            stalled.push(stalled_reader(&kring.base, &path, &cookie).await);
        }

        let reader = kring.logged_in("lucia@demo.kring").await;
        let (status, _, page) = kring.page(&reader, "/sessions").await;
        assert_eq!(status, 200, "{page}");
        let (status, _, page) = kring.page(&reader, &path).await;
        assert_eq!(status, 200);
        assert!(page.contains("Every visit, in full"));
        drop(stalled);
    });
}
