use sea_orm_migration::prelude::*;

/// Feedback (issue 17): the cohort — the session a respondent took part in — on who was
/// asked, and on an answer set only when at least the survey's threshold of people were
/// asked in that cohort (a smaller cohort's answers carry none), so that the groups of a
/// programme can be compared without an answer set pointing to fewer people than the
/// threshold.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000027_feedback_cohorts"
    }
}

#[derive(DeriveIden)]
enum SurveyRespondents {
    Table,
    Cohort,
}

#[derive(DeriveIden)]
enum AnswerSets {
    Table,
    Cohort,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(SurveyRespondents::Table)
                .add_column(ColumnDef::new(SurveyRespondents::Cohort).integer().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(AnswerSets::Table)
                .add_column(ColumnDef::new(AnswerSets::Cohort).integer().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (t, c) in [("answer_sets", "cohort"), ("survey_respondents", "cohort")] {
            m.alter_table(
                Table::alter()
                    .table(Alias::new(t))
                    .drop_column(Alias::new(c))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
