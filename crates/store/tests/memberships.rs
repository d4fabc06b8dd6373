//! Roles held in a context, on the backend chosen by `HEADWAY_TEST_DATABASE_URL`.

use headway_domain::accounts::{NewPassword, Role, Username};
use headway_domain::memberships::{ContextRole, Membership, Memberships};
use headway_store::accounts::NewAccount;
use headway_store::memberships::ContextRoles;
use headway_store::migration::Migrator;
use headway_store::testing::TestDb;
use sea_orm::ConnectionTrait;
use sea_orm_migration::MigratorTrait;

/// A test database holding the Norwegian and Slovenian directory; returns it and two
/// organisation ids.
async fn with_directory() -> (TestDb, i32, i32) {
    let db = TestDb::new().await;
    for (d, path, bytes) in &headway_store::import::bundled::BUNDLED[3..] {
        db.store.import(*d, path, bytes, &|_, _| {}).await.unwrap();
    }
    let row = db
        .store
        .conn()
        .query_one(sea_orm::Statement::from_string(
            db.store.backend(),
            "SELECT CAST(MIN(id) AS BIGINT) AS a, CAST(MAX(id) AS BIGINT) AS b FROM organizations",
        ))
        .await
        .unwrap()
        .unwrap();
    let a: i64 = row.try_get("", "a").unwrap();
    let b: i64 = row.try_get("", "b").unwrap();
    (db, a as i32, b as i32)
}

fn new_account(username: &str, role: Role, org: Option<i32>) -> NewAccount {
    NewAccount {
        username: Username::parse(username).unwrap(),
        password: NewPassword::parse("a long test password").unwrap(),
        role,
        display_name: username.into(),
        organization_id: org,
        person_id: None,
    }
}

#[tokio::test]
async fn roles_are_granted_read_with_the_account_and_revoked() {
    let (db, org, _) = with_directory().await;
    let s = &db.store;
    let owner = s
        .create_account("test", new_account("board-rep", Role::Owner, Some(org)))
        .await
        .unwrap();
    let rep = Membership {
        role: ContextRole::Representative,
        context_id: org,
    };
    assert_eq!(
        owner.memberships,
        vec![rep],
        "a board's account represents its board"
    );
    let coordinator = Membership {
        role: ContextRole::NetworkCoordinator,
        context_id: 42,
    };
    s.grant_membership("test", owner.id, coordinator)
        .await
        .unwrap();
    s.grant_membership("test", owner.id, coordinator)
        .await
        .unwrap();
    let a = s.account(owner.id).await.unwrap();
    assert_eq!(
        a.memberships,
        vec![rep, coordinator],
        "granted once, read with the account"
    );
    assert!(a.holds(ContextRole::NetworkCoordinator, 42));
    assert!(!a.holds(ContextRole::NetworkCoordinator, 43));
    s.revoke_membership("test", owner.id, coordinator)
        .await
        .unwrap();
    assert_eq!(s.memberships_of(owner.id).await.unwrap(), vec![rep]);
    let audit = s.recent_audit(10).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "membership.grant"));
    assert!(audit.iter().any(|e| e.action == "membership.revoke"));
    // A leader holds nothing by role.
    let leader = s
        .create_account("test", new_account("a-leader", Role::Leader, Some(org)))
        .await
        .unwrap();
    assert!(leader.memberships.is_empty());
}

/// Databases from before memberships: every board account represents its board and every
/// provider account is its provider's staff, so nobody can do less than before.
#[tokio::test]
async fn the_migration_gives_existing_accounts_their_memberships() {
    let (db, a, b) = with_directory().await;
    let s = &db.store;
    // Back to before memberships, undoing every migration that came after them too.
    let names: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    let at = names
        .iter()
        .position(|n| n == "m20261130_000008_memberships")
        .unwrap();
    Migrator::down(s.conn(), Some((names.len() - at) as u32))
        .await
        .unwrap();
    for (name, role, org) in [
        ("old-owner", "owner", a),
        ("old-provider", "provider", b),
        ("old-leader", "leader", a),
    ] {
        s.conn()
            .execute_unprepared(&format!(
                "INSERT INTO users (username, password_hash, role, display_name, organization_id, active, created_at) \
                 VALUES ('{name}', 'x', '{role}', '{name}', {org}, true, '2026-01-01T00:00:00.000000Z')"
            ))
            .await
            .unwrap();
    }
    s.migrate().await.unwrap();
    let held = |name: &'static str| async move {
        s.account_by_username(name)
            .await
            .unwrap()
            .unwrap()
            .memberships
    };
    assert_eq!(
        held("old-owner").await,
        vec![Membership {
            role: ContextRole::Representative,
            context_id: a
        }]
    );
    assert_eq!(
        held("old-provider").await,
        vec![Membership {
            role: ContextRole::Staff,
            context_id: b
        }]
    );
    assert!(held("old-leader").await.is_empty());
}
