//! The `headway` binary's commands, run as a user would, against a database of the
//! backend chosen by `HEADWAY_TEST_DATABASE_URL`.

use headway_store::testing::TestDb;
use sea_orm::ConnectionTrait;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn data(path: &str) -> String {
    format!("{}/../../data/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn headway(db: &TestDb, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_headway"))
        .args(args)
        .env("HEADWAY_DATABASE_URL", &db.url)
        .env("HEADWAY_LOG", "error")
        .output()
        .expect("run headway")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[tokio::test]
async fn import_then_audit_verify_passes_and_fails_after_tampering() {
    let db = TestDb::new().await;
    for (dataset, file) in [
        ("si-regions", "si/gurs_SR.csv"),
        ("si-municipalities", "si/gurs_OB.csv"),
        ("si-municipality-regions", "si/obcine_regije.csv"),
        ("si-institutions", "si/zavodi_regijski_aktivi.csv"),
    ] {
        let o = headway(&db, &["import", dataset, &data(file)]);
        assert!(o.status.success(), "{dataset}: {}", text(&o));
        assert!(text(&o).contains("rows:"), "reports counts: {}", text(&o));
    }
    let o = headway(&db, &["audit", "verify"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("verifies: 4 entries"), "{}", text(&o));

    db.store
        .conn()
        .execute_unprepared("UPDATE audit_log SET actor = 'someone else' WHERE seq = 3")
        .await
        .unwrap();
    let o = headway(&db, &["audit", "verify"]);
    assert!(
        !o.status.success(),
        "verification must fail after tampering"
    );
    assert!(text(&o).contains("entry 3"), "{}", text(&o));
}

#[tokio::test]
async fn audit_verify_passes_on_the_demo_and_fails_after_a_row_is_altered() {
    let db = TestDb::new().await;
    for (d, path, bytes) in headway_store::import::bundled::BUNDLED {
        db.store.import(d, path, bytes, &|_, _| {}).await.unwrap();
    }
    db.store.seed_demo().await.unwrap();
    let o = headway(&db, &["audit", "verify"]);
    assert!(o.status.success(), "{}", text(&o));
    let entries = db.store.audit_count().await.unwrap();
    assert!(
        entries > 20,
        "the demo audits imports, accounts, enrolment, decisions: {entries}"
    );
    db.store
        .conn()
        .execute_unprepared("UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 12")
        .await
        .unwrap();
    let o = headway(&db, &["audit", "verify"]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("entry 12") && text(&o).contains("altered"),
        "{}",
        text(&o)
    );
}

#[tokio::test]
async fn a_bad_import_file_names_line_and_field_and_changes_nothing() {
    let db = TestDb::new().await;
    let o = headway(&db, &["import", "si-regions", &data("si/gurs_SR.csv")]);
    assert!(o.status.success(), "{}", text(&o));
    let before = db.store.directory_counts().await.unwrap();
    let dir = std::env::temp_dir().join(format!("headway-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("OB.csv");
    std::fs::write(
        &bad,
        "ENOTA,OB_MID,OB_ID,OB_UIME,OB_TIP,POV_KM2,D_OD,DV_OD,STATUS,CEN_E,CEN_N\n\
         OB,11026516,1,Ajdovščina,N,245.35,1995/01/01,1995/01/01,V,414738,83647\n\
         OB,11026524,2,Beltinci,N,62.31,1995/01/01,1995/01/01,V,59x442,163669\n",
    )
    .unwrap();
    let o = headway(&db, &["import", "si-municipalities", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    let msg = text(&o);
    assert!(
        msg.contains("line 3") && msg.contains("cen_e") && msg.contains("59x442"),
        "{msg}"
    );
    assert_eq!(
        db.store.directory_counts().await.unwrap(),
        before,
        "nothing written"
    );
    let o = headway(&db, &["import", "no-such-dataset", bad.to_str().unwrap()]);
    assert!(
        !o.status.success() && text(&o).contains("unknown dataset"),
        "{}",
        text(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn user_add_reads_the_password_from_stdin() {
    let db = TestDb::new().await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_headway"))
        .args([
            "user",
            "add",
            "--username",
            "Marta",
            "--role",
            "coordinator",
            "--name",
            "Marta Kovač",
        ])
        .env("HEADWAY_DATABASE_URL", &db.url)
        .env("HEADWAY_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a very long secret\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let a = db
        .store
        .account_by_username("marta")
        .await
        .unwrap()
        .expect("created");
    assert_eq!(a.role.code(), "coordinator");
    assert!(matches!(
        db.store.login("marta", "a very long secret").await.unwrap(),
        headway_store::accounts::LoginOutcome::Ok(_)
    ));
    let o = headway(
        &db,
        &[
            "user",
            "add",
            "--username",
            "xavier",
            "--role",
            "king",
            "--name",
            "X",
        ],
    );
    assert!(!o.status.success());
    assert!(
        text(&o).contains("--role") && text(&o).contains("king"),
        "{}",
        text(&o)
    );
}
