use super::{fk, id, index};
use sea_orm_migration::prelude::*;

/// Guidance (issue 18): the directorate's decision on each owner for a school year (invite,
/// not now, declined by the owner, with the rationale and the holistic assessment), guidance
/// cases (an owner, a period, the phase it is in), each phase's outputs and its sign-offs by
/// advisor and owner, the case's meetings, its referrals to competence environments, and
/// its goals with their measures.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000023_guidance_cases"
    }
}

#[derive(DeriveIden)]
enum GuidanceDecisions {
    Table,
    Id,
    SchoolYear,
    OrganizationId,
    Decision,
    Rationale,
    Assessment,
    DecidedBy,
    DecidedAt,
}

#[derive(DeriveIden)]
enum GuidanceCases {
    Table,
    Id,
    OrganizationId,
    DecisionId,
    StartsOn,
    EndsOn,
    Phase,
    Kindergarten,
    ClosedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum GuidanceOutputs {
    Table,
    Id,
    CaseId,
    Output,
    Text,
    RecordedBy,
    RecordedAt,
}

#[derive(DeriveIden)]
enum GuidanceSignoffs {
    Table,
    Id,
    CaseId,
    Phase,
    Party,
    AccountId,
    SignedAt,
}

#[derive(DeriveIden)]
enum GuidanceMeetings {
    Table,
    Id,
    CaseId,
    HeldOn,
    Participants,
    Minutes,
    RecordedBy,
}

#[derive(DeriveIden)]
enum GuidanceReferrals {
    Table,
    Id,
    CaseId,
    OrganizationId,
    Topic,
    ReferredOn,
    RecordedBy,
}

#[derive(DeriveIden)]
enum GuidanceGoals {
    Table,
    Id,
    CaseId,
    Priority,
    Title,
}

#[derive(DeriveIden)]
enum GuidanceMeasures {
    Table,
    Id,
    GoalId,
    What,
    Responsible,
    Deadline,
    Status,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
}

#[derive(DeriveIden)]
enum Users {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use GuidanceCases as C;
        use GuidanceDecisions as D;
        use GuidanceOutputs as O;
        use GuidanceSignoffs as S;
        m.create_table(
            Table::create()
                .table(D::Table)
                .col(id(D::Id))
                .col(ColumnDef::new(D::SchoolYear).integer().not_null())
                .col(ColumnDef::new(D::OrganizationId).integer().not_null())
                .col(ColumnDef::new(D::Decision).string().not_null())
                .col(ColumnDef::new(D::Rationale).string().not_null())
                .col(ColumnDef::new(D::Assessment).string().not_null())
                .col(ColumnDef::new(D::DecidedBy).string().not_null())
                .col(ColumnDef::new(D::DecidedAt).string().not_null())
                .foreign_key(&mut fk(
                    D::Table,
                    D::OrganizationId,
                    Organizations::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "guidance_decisions",
            &["school_year", "organization_id"],
            true,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(C::Table)
                .col(id(C::Id))
                .col(ColumnDef::new(C::OrganizationId).integer().not_null())
                .col(ColumnDef::new(C::DecisionId).integer().null())
                .col(ColumnDef::new(C::StartsOn).string().not_null())
                .col(ColumnDef::new(C::EndsOn).string().not_null())
                .col(ColumnDef::new(C::Phase).string().not_null())
                .col(ColumnDef::new(C::Kindergarten).boolean().not_null())
                .col(ColumnDef::new(C::ClosedAt).string().null())
                .col(ColumnDef::new(C::CreatedAt).string().not_null())
                .foreign_key(&mut fk(
                    C::Table,
                    C::OrganizationId,
                    Organizations::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    C::Table,
                    C::DecisionId,
                    D::Table,
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("guidance_cases", &["organization_id"], false))
            .await?;
        m.create_table(
            Table::create()
                .table(O::Table)
                .col(id(O::Id))
                .col(ColumnDef::new(O::CaseId).integer().not_null())
                .col(ColumnDef::new(O::Output).string().not_null())
                .col(ColumnDef::new(O::Text).string().not_null())
                .col(ColumnDef::new(O::RecordedBy).string().not_null())
                .col(ColumnDef::new(O::RecordedAt).string().not_null())
                .foreign_key(&mut fk(
                    O::Table,
                    O::CaseId,
                    C::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("guidance_outputs", &["case_id", "output"], true))
            .await?;
        m.create_table(
            Table::create()
                .table(S::Table)
                .col(id(S::Id))
                .col(ColumnDef::new(S::CaseId).integer().not_null())
                .col(ColumnDef::new(S::Phase).string().not_null())
                .col(ColumnDef::new(S::Party).string().not_null())
                .col(ColumnDef::new(S::AccountId).integer().null())
                .col(ColumnDef::new(S::SignedAt).string().not_null())
                .foreign_key(&mut fk(
                    S::Table,
                    S::CaseId,
                    C::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    S::Table,
                    S::AccountId,
                    Users::Table,
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "guidance_signoffs",
            &["case_id", "phase", "party"],
            true,
        ))
        .await?;
        use GuidanceGoals as G;
        use GuidanceMeasures as M;
        use GuidanceMeetings as T;
        use GuidanceReferrals as R;
        m.create_table(
            Table::create()
                .table(T::Table)
                .col(id(T::Id))
                .col(ColumnDef::new(T::CaseId).integer().not_null())
                .col(ColumnDef::new(T::HeldOn).string().not_null())
                .col(ColumnDef::new(T::Participants).string().not_null())
                .col(ColumnDef::new(T::Minutes).string().not_null())
                .col(ColumnDef::new(T::RecordedBy).string().not_null())
                .foreign_key(&mut fk(
                    T::Table,
                    T::CaseId,
                    C::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("guidance_meetings", &["case_id", "held_on"], false))
            .await?;
        m.create_table(
            Table::create()
                .table(R::Table)
                .col(id(R::Id))
                .col(ColumnDef::new(R::CaseId).integer().not_null())
                .col(ColumnDef::new(R::OrganizationId).integer().not_null())
                .col(ColumnDef::new(R::Topic).string().not_null())
                .col(ColumnDef::new(R::ReferredOn).string().not_null())
                .col(ColumnDef::new(R::RecordedBy).string().not_null())
                .foreign_key(&mut fk(
                    R::Table,
                    R::CaseId,
                    C::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    R::Table,
                    R::OrganizationId,
                    Organizations::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("guidance_referrals", &["case_id"], false))
            .await?;
        m.create_table(
            Table::create()
                .table(G::Table)
                .col(id(G::Id))
                .col(ColumnDef::new(G::CaseId).integer().not_null())
                .col(ColumnDef::new(G::Priority).integer().not_null())
                .col(ColumnDef::new(G::Title).string().not_null())
                .foreign_key(&mut fk(
                    G::Table,
                    G::CaseId,
                    C::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("guidance_goals", &["case_id", "priority"], false))
            .await?;
        m.create_table(
            Table::create()
                .table(M::Table)
                .col(id(M::Id))
                .col(ColumnDef::new(M::GoalId).integer().not_null())
                .col(ColumnDef::new(M::What).string().not_null())
                .col(ColumnDef::new(M::Responsible).string().not_null())
                .col(ColumnDef::new(M::Deadline).string().not_null())
                .col(ColumnDef::new(M::Status).string().not_null())
                .foreign_key(&mut fk(
                    M::Table,
                    M::GoalId,
                    G::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("guidance_measures", &["goal_id"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            GuidanceMeasures::Table.into_iden(),
            GuidanceGoals::Table.into_iden(),
            GuidanceReferrals::Table.into_iden(),
            GuidanceMeetings::Table.into_iden(),
            GuidanceSignoffs::Table.into_iden(),
            GuidanceOutputs::Table.into_iden(),
            GuidanceCases::Table.into_iden(),
            GuidanceDecisions::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
