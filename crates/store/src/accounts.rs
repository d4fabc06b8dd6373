//! Accounts: argon2id password hashes, login with throttling, account administration.

use crate::audit::{self, AuditEvent};
use crate::entities::{login_attempt, user};
use crate::{Result, Store, StoreError};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use headway_domain::accounts::{
    login_throttled, NewPassword, Role, Username, THROTTLE_WINDOW_SECS,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

/// A signed-in account as the layers above see it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Account {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub organization_id: Option<i32>,
    pub person_id: Option<i32>,
}

impl TryFrom<user::Model> for Account {
    type Error = StoreError;
    fn try_from(u: user::Model) -> Result<Self> {
        Ok(Account {
            role: Role::parse(&u.role).map_err(|e| StoreError::Invalid(e.to_string()))?,
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            organization_id: u.organization_id,
            person_id: u.person_id,
        })
    }
}

/// What to create.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: Username,
    pub password: NewPassword,
    pub role: Role,
    pub display_name: String,
    pub organization_id: Option<i32>,
    pub person_id: Option<i32>,
}

/// The result of a login attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum LoginOutcome {
    Ok(Account),
    Invalid,
    /// Too many failures in the window; the password was not even checked.
    Throttled,
}

async fn hash_password(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| StoreError::Invalid(format!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| StoreError::Invalid(e.to_string()))?
}

async fn verify_password(password: String, phc: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&phc)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

impl Store {
    /// Creates an account and records it in the audit log, both in one transaction.
    pub async fn create_account(&self, actor: &str, new: NewAccount) -> Result<Account> {
        let hash = hash_password(new.password.expose().to_owned()).await?;
        let txn = self.begin_write().await?;
        if user::Entity::find()
            .filter(user::Column::Username.eq(new.username.as_str()))
            .count(&*txn)
            .await?
            > 0
        {
            return Err(StoreError::Conflict(format!(
                "the username `{}` is taken",
                new.username.as_str()
            )));
        }
        let m = user::ActiveModel {
            username: Set(new.username.as_str().to_owned()),
            password_hash: Set(hash),
            role: Set(new.role.code().to_owned()),
            display_name: Set(new.display_name.clone()),
            person_id: Set(new.person_id),
            organization_id: Set(new.organization_id),
            active: Set(true),
            created_at: Set(headway_domain::time::now()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        audit::append(
            &*txn,
            AuditEvent {
                actor,
                action: "account.create",
                subject: &format!("user:{}", m.id),
                detail: &format!("username={} role={}", m.username, m.role),
            },
        )
        .await?;
        txn.commit().await?;
        m.try_into()
    }

    /// Checks a password, refusing without checking once the name has had
    /// [`headway_domain::accounts::MAX_FAILED_LOGINS`] failures inside the window.
    /// Every attempt is recorded, in the database, so throttling holds across servers.
    pub async fn login(&self, username: &str, password: &str) -> Result<LoginOutcome> {
        let name = username.trim().to_lowercase();
        let since = headway_domain::time::format(
            chrono::Utc::now() - chrono::Duration::seconds(THROTTLE_WINDOW_SECS),
        );
        let failures = login_attempt::Entity::find()
            .filter(login_attempt::Column::Username.eq(&name))
            .filter(login_attempt::Column::Success.eq(false))
            .filter(login_attempt::Column::At.gt(since))
            .count(&self.db)
            .await?;
        if login_throttled(failures) {
            return Ok(LoginOutcome::Throttled);
        }
        let found = user::Entity::find()
            .filter(user::Column::Username.eq(&name))
            .filter(user::Column::Active.eq(true))
            .one(&self.db)
            .await?;
        let (ok, found) = match found {
            Some(u) => (
                verify_password(password.to_owned(), u.password_hash.clone()).await,
                Some(u),
            ),
            None => {
                // Spend the same work as a real check, so timing does not reveal which names exist.
                let _ = hash_password(password.to_owned()).await;
                (false, None)
            }
        };
        login_attempt::ActiveModel {
            username: Set(name),
            at: Set(headway_domain::time::now()),
            success: Set(ok),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        match (ok, found) {
            (true, Some(u)) => Ok(LoginOutcome::Ok(u.try_into()?)),
            _ => Ok(LoginOutcome::Invalid),
        }
    }

    pub async fn account(&self, id: i32) -> Result<Account> {
        user::Entity::find_by_id(id)
            .filter(user::Column::Active.eq(true))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_into()
    }

    pub async fn account_by_username(&self, username: &str) -> Result<Option<Account>> {
        user::Entity::find()
            .filter(user::Column::Username.eq(username.trim().to_lowercase()))
            .one(&self.db)
            .await?
            .map(Account::try_from)
            .transpose()
    }

    pub async fn accounts(&self) -> Result<Vec<Account>> {
        user::Entity::find()
            .order_by_asc(user::Column::Username)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Account::try_from)
            .collect()
    }
}
