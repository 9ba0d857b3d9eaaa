//! The command line writes what it reports: an account `market-server create-user` made is in
//! the database a server then opens.

use crate::helpers::{spawn_app_in, Options};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs `market-server create-user` on `dir`, as an operator would; its standard output.
pub fn create_user(dir: &Path, role: &str, username: &str, password: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_market-server"))
        .args([
            "create-user",
            "--role",
            role,
            "--username",
            username,
            "--organization",
            "云州市发展和改革委员会",
            "--password-stdin",
        ])
        .args(crate::helpers::database_args(dir))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run market-server");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{password}\n").as_bytes())
        .expect("password");
    let output = child.wait_with_output().expect("finished");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn an_account_made_on_the_command_line_signs_in_on_the_server() {
    let dir = crate::helpers::fresh_dir().await;
    let printed = create_user(
        dir.path(),
        "regulator",
        "fgw_li",
        "a long secret passphrase",
    );
    assert!(
        printed.contains("created regulator account fgw_li"),
        "{printed}"
    );

    let app = spawn_app_in(dir, Options { demo: false }).await;
    let client = app.signed_in(("fgw_li", "a long secret passphrase")).await;
    let me: serde_json::Value = app
        .get_as(&client, "/api/auth/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "regulator", "{me}");
}
