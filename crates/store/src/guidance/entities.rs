//! The guidance slice's tables.

pub mod indicator_value {
    use sea_orm::entity::prelude::*;

    /// One value of an indicator for a unit, period and subgroup, as the source gave it;
    /// `hidden` says why it is not published (`source`, `primary`, `secondary`).
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "indicator_values")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub indicator: String,
        pub level: String,
        pub unit_key: String,
        pub unit_name: String,
        pub parent_key: Option<String>,
        pub period: String,
        pub first_year: i32,
        pub last_year: i32,
        pub subgroup: String,
        pub value: Option<f64>,
        pub count: Option<i32>,
        pub hidden: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod decision {
    use sea_orm::entity::prelude::*;

    /// The directorate's decision on an owner for a school year (its autumn).
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "guidance_decisions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub school_year: i32,
        pub organization_id: i32,
        pub decision: String,
        pub rationale: String,
        pub assessment: String,
        pub decided_by: String,
        pub decided_at: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod case {
    use sea_orm::entity::prelude::*;

    /// A guidance case of an owner: its period and the phase it is in.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "guidance_cases")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub organization_id: i32,
        pub decision_id: Option<i32>,
        pub starts_on: String,
        pub ends_on: String,
        pub phase: String,
        /// The transition from kindergarten to school is part of the work.
        pub kindergarten: bool,
        pub closed_at: Option<String>,
        pub created_at: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod output {
    use sea_orm::entity::prelude::*;

    /// An output of a case's phase (the analysis, the owner's decision, …), as last written.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "guidance_outputs")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub case_id: i32,
        pub output: String,
        pub text: String,
        pub recorded_by: String,
        pub recorded_at: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod signoff {
    use sea_orm::entity::prelude::*;

    /// A phase signed off by one party.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "guidance_signoffs")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub case_id: i32,
        pub phase: String,
        pub party: String,
        pub account_id: Option<i32>,
        pub signed_at: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod meeting {
    use sea_orm::entity::prelude::*;

    /// A meeting of a case: when, who took part, the minutes.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "guidance_meetings")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub case_id: i32,
        pub held_on: String,
        pub participants: String,
        pub minutes: String,
        pub recorded_by: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod referral {
    use sea_orm::entity::prelude::*;

    /// A referral of the owner to a competence environment (a university or college of the
    /// directory) on a topic.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "guidance_referrals")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub case_id: i32,
        pub organization_id: i32,
        pub topic: String,
        pub referred_on: String,
        pub recorded_by: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod goal {
    use sea_orm::entity::prelude::*;

    /// A prioritised goal of a case (priority 1 first).
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "guidance_goals")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub case_id: i32,
        pub priority: i32,
        pub title: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod measure {
    use sea_orm::entity::prelude::*;

    /// A measure towards a goal: what, who is responsible, by when, and how far it is.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "guidance_measures")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub goal_id: i32,
        pub what: String,
        pub responsible: String,
        pub deadline: String,
        pub status: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod snapshot {
    use sea_orm::entity::prelude::*;

    /// An evaluation snapshot of a case: when, which kind, by whom.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "guidance_snapshots")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub case_id: i32,
        pub kind: String,
        pub taken_on: String,
        pub taken_by: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod snapshot_value {
    use sea_orm::entity::prelude::*;

    /// One published value of the owner in a snapshot, with the nation's.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "guidance_snapshot_values")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub snapshot_id: i32,
        pub indicator: String,
        pub period: String,
        pub value: Option<f64>,
        pub national: Option<f64>,
        pub hidden: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod school_place {
    use sea_orm::entity::prelude::*;

    /// A school and where it is, in its municipality (`municipalities.id`).
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "school_places")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub municipality_id: i32,
        pub name: String,
        pub lat: f64,
        pub lon: f64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
