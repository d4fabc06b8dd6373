//! The authorisation matrix: every route of the router × every role, against the policy.

mod common;

use common::{Seed, TestApp};
use headway_domain::accounts::Role;
use headway_store::accounts::Account;
use headway_web::{policy, route_table, Access};

fn account(role: Role) -> Account {
    Account {
        id: 0,
        username: "x".into(),
        display_name: "x".into(),
        role,
        organization_id: None,
        person_id: None,
    }
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_policy_says() {
    let app = TestApp::spawn(Seed::Demo).await;
    let mut routes: Vec<_> = route_table()
        .into_iter()
        .map(|r| (r.method, r.path, r.access))
        .collect();
    // Logging out ends the session the rest of the walk needs: do it last.
    routes.sort_by_key(|r| r.1 == "/logout");
    let mut seen = std::collections::HashSet::new();
    for (m, p, _) in &routes {
        assert!(seen.insert((m.clone(), *p)), "{m} {p} is declared twice");
    }
    assert!(routes.len() >= 40, "the table holds the whole application");

    let roles: [Option<Role>; 7] = [
        None,
        Some(Role::Admin),
        Some(Role::Coordinator),
        Some(Role::Advisor),
        Some(Role::Owner),
        Some(Role::Leader),
        Some(Role::Provider),
    ];
    let mut checked = 0;
    for role in roles {
        let c = app.client();
        let token = match role {
            Some(r) => {
                app.login(&c, r.code()).await;
                app.csrf(&c, "/me").await
            }
            None => app.csrf(&c, "/login").await,
        };
        for (method, path, access) in &routes {
            let url = app.url(&path.replace("{id}", "1").replace("{activity}", "1"));
            let res = c
                .request(method.clone(), url)
                .header("x-csrf-token", &token)
                .header("content-type", "application/x-www-form-urlencoded")
                .body("")
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            let who = role.map(|r| r.code()).unwrap_or("anonymous");
            let user = role.map(account);
            match (access, &user) {
                (Access::Public, _) => assert!(
                    status != 401 && status != 403,
                    "{who} {method} {path}: {status}"
                ),
                (_, None) => assert_eq!(status, 401, "{who} {method} {path}"),
                (Access::SignedIn, Some(_)) => assert!(
                    status != 401 && status != 403,
                    "{who} {method} {path}: {status}"
                ),
                (Access::Allowed(a), Some(u)) => {
                    if policy::allows(Some(u), *a) {
                        assert!(
                            status != 401 && status != 403,
                            "{who} {method} {path} is allowed but got {status}"
                        );
                    } else {
                        assert_eq!(status, 403, "{who} {method} {path} is not allowed");
                    }
                }
            }
            assert!(status < 500, "{who} {method} {path}: server error {status}");
            checked += 1;
        }
    }
    assert_eq!(checked, routes.len() * roles.len());
}
