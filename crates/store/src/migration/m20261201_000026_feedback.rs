use super::{fk, id, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

/// Feedback (issue 17): questionnaires in versions, surveys of a subject asked in waves, who
/// was asked and whether they answered (`survey_respondents`), and — apart from it, linked
/// by nothing — what was answered (`answer_sets`, `answers`). An answer set's id is random,
/// it carries no time, and on SQLite the answer tables are `WITHOUT ROWID`, stored in the
/// order of their random keys, so not even the order of insertion is kept.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000026_feedback"
    }
}

#[derive(DeriveIden)]
enum Questionnaires {
    Table,
    Id,
    TemplateKey,
    Version,
    Title,
    Body,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Surveys {
    Table,
    Id,
    QuestionnaireId,
    SubjectKind,
    SubjectId,
    Title,
    Threshold,
    ReminderDays,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SurveyWaves {
    Table,
    Id,
    SurveyId,
    Label,
    Months,
    OpensOn,
    ClosesOn,
}

#[derive(DeriveIden)]
enum SurveyRespondents {
    Table,
    Id,
    WaveId,
    PersonId,
    TokenHash,
    Answered,
    Reminders,
}

#[derive(DeriveIden)]
enum People {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use Questionnaires as Q;
        use SurveyRespondents as R;
        use SurveyWaves as W;
        use Surveys as S;
        m.create_table(
            Table::create()
                .table(Q::Table)
                .col(id(Q::Id))
                .col(ColumnDef::new(Q::TemplateKey).string().not_null())
                .col(ColumnDef::new(Q::Version).integer().not_null())
                .col(ColumnDef::new(Q::Title).string().not_null())
                .col(ColumnDef::new(Q::Body).text().not_null())
                .col(ColumnDef::new(Q::CreatedBy).string().not_null())
                .col(ColumnDef::new(Q::CreatedAt).string().not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(index("questionnaires", &["template_key", "version"], true))
            .await?;
        m.create_table(
            Table::create()
                .table(S::Table)
                .col(id(S::Id))
                .col(ColumnDef::new(S::QuestionnaireId).integer().not_null())
                .col(ColumnDef::new(S::SubjectKind).string().not_null())
                .col(ColumnDef::new(S::SubjectId).integer().not_null())
                .col(ColumnDef::new(S::Title).string().not_null())
                .col(ColumnDef::new(S::Threshold).integer().not_null())
                .col(ColumnDef::new(S::ReminderDays).string().not_null())
                .col(ColumnDef::new(S::CreatedBy).string().not_null())
                .col(ColumnDef::new(S::CreatedAt).string().not_null())
                .foreign_key(&mut fk(
                    S::Table,
                    S::QuestionnaireId,
                    Q::Table,
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("surveys", &["subject_kind", "subject_id"], false))
            .await?;
        m.create_table(
            Table::create()
                .table(W::Table)
                .col(id(W::Id))
                .col(ColumnDef::new(W::SurveyId).integer().not_null())
                .col(ColumnDef::new(W::Label).string().not_null())
                .col(ColumnDef::new(W::Months).integer().not_null())
                .col(ColumnDef::new(W::OpensOn).string().not_null())
                .col(ColumnDef::new(W::ClosesOn).string().not_null())
                .foreign_key(&mut fk(
                    W::Table,
                    W::SurveyId,
                    S::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("survey_waves", &["survey_id"], false))
            .await?;
        m.create_table(
            Table::create()
                .table(R::Table)
                .col(id(R::Id))
                .col(ColumnDef::new(R::WaveId).integer().not_null())
                .col(ColumnDef::new(R::PersonId).integer().not_null())
                .col(ColumnDef::new(R::TokenHash).string().not_null())
                .col(ColumnDef::new(R::Answered).boolean().not_null())
                .col(ColumnDef::new(R::Reminders).integer().not_null())
                .foreign_key(&mut fk(
                    R::Table,
                    R::WaveId,
                    W::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    R::Table,
                    R::PersonId,
                    People::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("survey_respondents", &["wave_id", "person_id"], true))
            .await?;
        m.create_index(index("survey_respondents", &["token_hash"], true))
            .await?;
        // What was answered: keyed by random ids; no time, no sequence. Written by hand for
        // SQLite's WITHOUT ROWID, which sea-query does not express.
        let rowid = match m.get_database_backend() {
            DbBackend::Sqlite => " WITHOUT ROWID",
            _ => "",
        };
        let db = m.get_connection();
        db.execute_unprepared(&format!(
            "CREATE TABLE answer_sets (\
               id VARCHAR(32) NOT NULL PRIMARY KEY, \
               wave_id INTEGER NOT NULL REFERENCES survey_waves (id) ON DELETE CASCADE\
             ){rowid}"
        ))
        .await?;
        db.execute_unprepared(&format!(
            "CREATE TABLE answers (\
               set_id VARCHAR(32) NOT NULL REFERENCES answer_sets (id) ON DELETE CASCADE, \
               question_key VARCHAR(40) NOT NULL, \
               position INTEGER NOT NULL, \
               value TEXT NOT NULL, \
               review VARCHAR(16), \
               PRIMARY KEY (set_id, question_key, position)\
             ){rowid}"
        ))
        .await?;
        m.create_index(index("answer_sets", &["wave_id"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "answers",
            "answer_sets",
            "survey_respondents",
            "survey_waves",
            "surveys",
            "questionnaires",
        ] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
