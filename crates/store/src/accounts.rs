//! Accounts: argon2id password hashes, login with throttling, account administration.

use crate::audit::{self, AuditEvent};
use crate::entities::login_throttle;
use crate::entities::{login_attempt, user};
use crate::{Result, Store, StoreError};
use headway_domain::accounts::{
    login_throttled, NewPassword, Role, Username, THROTTLE_WINDOW_SECS,
};
use headway_domain::input::PersonName;
use headway_domain::language::Lang;
use headway_domain::memberships::{ContextRole, Membership, Memberships};
use sea_orm::sea_query::{Expr, OnConflict};
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
    /// The roles the account holds in contexts (a board, a network, a case).
    #[serde(default)]
    pub memberships: Vec<Membership>,
    /// The language the account last signed in with; mail to its person is written in it.
    #[serde(default)]
    pub language: Option<Lang>,
}

impl Memberships for Account {
    fn memberships(&self) -> &[Membership] {
        &self.memberships
    }
}

impl TryFrom<user::Model> for Account {
    type Error = StoreError;
    fn try_from(u: user::Model) -> Result<Self> {
        Ok(Account {
            role: Role::parse(&u.role).map_err(|e| StoreError::Internal(e.to_string()))?,
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            organization_id: u.organization_id,
            person_id: u.person_id,
            memberships: vec![],
            language: u.language.as_deref().and_then(Lang::parse),
        })
    }
}

/// The membership an account of `role` holds in its organisation from the start: a
/// board's representative, a provider's staff.
fn membership_of_role(role: Role, organization_id: Option<i32>) -> Option<Membership> {
    let role = match role {
        Role::Owner => ContextRole::Representative,
        Role::Provider => ContextRole::Staff,
        _ => return None,
    };
    organization_id.map(|context_id| Membership { role, context_id })
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

impl Store {
    /// Creates an account and records it in the audit log, both in one transaction.
    pub async fn create_account(&self, actor: &str, new: NewAccount) -> Result<Account> {
        let display_name = PersonName::parse("display_name", &new.display_name)?;
        let place = self.hashing.admit()?;
        let hash = self
            .hashing
            .hash(&place, new.password.expose().to_owned())
            .await?;
        drop(place);
        let txn = self.begin_write().await?;
        if user::Entity::find()
            .filter(user::Column::Username.eq(new.username.as_str()))
            .count(&*txn)
            .await?
            > 0
        {
            return Err(headway_domain::accounts::AccountRule::UsernameTaken(
                new.username.as_str().to_owned(),
            )
            .into());
        }
        let m = user::ActiveModel {
            username: Set(new.username.as_str().to_owned()),
            password_hash: Set(hash),
            role: Set(new.role.code().to_owned()),
            display_name: Set(display_name.into_inner()),
            person_id: Set(new.person_id),
            organization_id: Set(new.organization_id),
            active: Set(true),
            created_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        let first = membership_of_role(new.role, new.organization_id);
        if let Some(ms) = first {
            crate::memberships::insert(&*txn, m.id, ms).await?;
        }
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
        let mut a: Account = m.try_into()?;
        a.memberships = first.into_iter().collect();
        Ok(a)
    }

    /// Checks a password, refusing without checking once the name has had
    /// [`headway_domain::accounts::MAX_FAILED_LOGINS`] failures inside the window.
    ///
    /// Every attempt is recorded in the database, so throttling holds across servers, and
    /// the decision is atomic: under the lock of the name's throttle row, the attempt is
    /// counted as a failure *before* the password is checked (and turned into a success
    /// after), so however many attempts arrive at once, no more than the allowed number
    /// are ever checked in a window. A name that cannot be a username is refused without
    /// any work or record; a full hashing queue answers [`StoreError::Busy`] before any.
    pub async fn login(&self, username: &str, password: &str) -> Result<LoginOutcome> {
        let Ok(name) = Username::parse(username) else {
            return Ok(LoginOutcome::Invalid);
        };
        let name = name.as_str().to_owned();
        // Passwords are bounded like new ones, so the hash's input is bounded too.
        if password.len() > 4096 {
            return Ok(LoginOutcome::Invalid);
        }
        let place = self.hashing.admit()?;
        let Some(attempt) = self.reserve_attempt(&name).await? else {
            return Ok(LoginOutcome::Throttled);
        };
        let found = user::Entity::find()
            .filter(user::Column::Username.eq(&name))
            .filter(user::Column::Active.eq(true))
            .one(&self.db)
            .await?;
        // A name without an account is checked against a dummy hash: the same time spent,
        // so timing does not reveal which names exist.
        let ok = self
            .hashing
            .verify(
                &place,
                password.to_owned(),
                found.as_ref().map(|u| u.password_hash.clone()),
            )
            .await?;
        drop(place);
        match (ok, found) {
            (true, Some(u)) => {
                login_attempt::Entity::update_many()
                    .col_expr(login_attempt::Column::Success, Expr::value(true))
                    .filter(login_attempt::Column::Id.eq(attempt))
                    .exec(&self.db)
                    .await?;
                Ok(LoginOutcome::Ok(
                    self.with_memberships(u.try_into()?).await?,
                ))
            }
            _ => Ok(LoginOutcome::Invalid),
        }
    }

    /// Counts the failures of `name` in the window and, when another attempt is allowed,
    /// records one (as a failure until proven otherwise) — all while holding the lock of
    /// the name's throttle row, so concurrent attempts on any server decide one at a time.
    /// `None` when throttled.
    async fn reserve_attempt(&self, name: &str) -> Result<Option<i32>> {
        let now = crate::now();
        let since = headway_domain::time::format(
            chrono::Utc::now() - chrono::Duration::seconds(THROTTLE_WINDOW_SECS),
        );
        let txn = self.begin_write().await?;
        login_throttle::Entity::insert(login_throttle::ActiveModel {
            username: Set(name.to_owned()),
            last_at: Set(now.clone()),
        })
        .on_conflict(
            OnConflict::column(login_throttle::Column::Username)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&*txn)
        .await?;
        // The UPDATE takes the row's lock on PostgreSQL until commit (SQLite's write
        // transaction already excludes every other writer).
        login_throttle::Entity::update_many()
            .col_expr(login_throttle::Column::LastAt, Expr::value(now.clone()))
            .filter(login_throttle::Column::Username.eq(name))
            .exec(&*txn)
            .await?;
        let failures = login_attempt::Entity::find()
            .filter(login_attempt::Column::Username.eq(name))
            .filter(login_attempt::Column::Success.eq(false))
            .filter(login_attempt::Column::At.gt(since))
            .count(&*txn)
            .await?;
        if login_throttled(failures) {
            txn.commit().await?;
            return Ok(None);
        }
        let a = login_attempt::ActiveModel {
            username: Set(name.to_owned()),
            at: Set(now),
            success: Set(false),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        txn.commit().await?;
        Ok(Some(a.id))
    }

    /// Forgets login attempts and throttle rows older than the window: they no longer
    /// count, and names an attacker made up should not pile up. Returns the rows removed.
    /// Records the language the account signed in with (a write only when it changed).
    pub async fn set_language(&self, account: &Account, lang: Lang) -> Result<()> {
        if account.language == Some(lang) {
            return Ok(());
        }
        user::Entity::update_many()
            .col_expr(user::Column::Language, Expr::value(lang.code()))
            .filter(user::Column::Id.eq(account.id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    pub async fn prune_login_attempts(&self) -> Result<u64> {
        let before = headway_domain::time::format(
            chrono::Utc::now() - chrono::Duration::seconds(2 * THROTTLE_WINDOW_SECS),
        );
        let txn = self.begin_write().await?;
        let a = login_attempt::Entity::delete_many()
            .filter(login_attempt::Column::At.lt(before.clone()))
            .exec(&*txn)
            .await?;
        let t = login_throttle::Entity::delete_many()
            .filter(login_throttle::Column::LastAt.lt(before))
            .exec(&*txn)
            .await?;
        txn.commit().await?;
        Ok(a.rows_affected + t.rows_affected)
    }

    /// An active account with its memberships (two queries).
    pub async fn account(&self, id: i32) -> Result<Account> {
        let a = user::Entity::find_by_id(id)
            .filter(user::Column::Active.eq(true))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_into()?;
        self.with_memberships(a).await
    }

    async fn with_memberships(&self, mut a: Account) -> Result<Account> {
        a.memberships = crate::memberships::of_accounts(&self.db, &[(a.id, a.person_id)])
            .await?
            .remove(&a.id)
            .unwrap_or_default();
        Ok(a)
    }

    pub async fn account_by_username(&self, username: &str) -> Result<Option<Account>> {
        let found = user::Entity::find()
            .filter(user::Column::Username.eq(username.trim().to_lowercase()))
            .one(&self.db)
            .await?
            .map(Account::try_from)
            .transpose()?;
        match found {
            Some(a) => Ok(Some(self.with_memberships(a).await?)),
            None => Ok(None),
        }
    }

    pub async fn accounts(&self) -> Result<Vec<Account>> {
        let mut all: Vec<Account> = user::Entity::find()
            .order_by_asc(user::Column::Username)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Account::try_from)
            .collect::<Result<_>>()?;
        let ids: Vec<(i32, Option<i32>)> = all.iter().map(|a| (a.id, a.person_id)).collect();
        let mut held = crate::memberships::of_accounts(&self.db, &ids).await?;
        for a in &mut all {
            a.memberships = held.remove(&a.id).unwrap_or_default();
        }
        Ok(all)
    }
}
