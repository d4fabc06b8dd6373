//! Who may do what: the one place where authorisation is decided, from the account, the
//! action and — for data-aware actions — the account's relation to the object
//! (`ViewEvidence { own }`, `AddOffer { own_org }`). Handlers never compare roles: a route's
//! rule names an [`Action`], a handler receives its account through
//! [`crate::http::authorize::Authorized`] typed by a permission of [`can`], and anything
//! that depends on the object asks [`allows`] with the relation.

use headway_domain::accounts::Role;
use headway_domain::memberships::{ContextRole, Memberships};
use headway_store::accounts::Account;

/// Everything a handler may ask permission for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Search the directory and read organisations' public details.
    ViewDirectory,
    /// See the people holding positions at an organisation. `own` says whether the
    /// organisation is the account's own organisation or lies below it.
    ViewPeople { own: bool },
    /// See one's own dashboard.
    ViewDashboard,
    /// List and create accounts.
    ManageAccounts,
    /// Read the audit log and its verification.
    ViewAudit,
    /// Enrol in the register and keep one's own PD log.
    KeepOwnRegistration,
    /// Decide on enrolments, objections, deferrals and informal learning.
    Committee,
    /// See the board's leaders and, with consent, their activities.
    BoardRegister,
    /// Accredit or withdraw offers in the catalogue.
    ManageOffers,
    /// Add an offer to the catalogue; `own_org` when it is for the account's own
    /// organisation (a provider adds only its own offers).
    AddOffer { own_org: bool },
    /// See the e-mail outbox.
    ViewOutbox,
    /// Download an evidence file; `own` when it is the account's own.
    ViewEvidence { own: bool },
    /// See who is in a network (names and roles); `member` when the account's person holds
    /// a role in that network.
    ViewNetworkPeople { member: bool },
    /// Coordinate a network: form, change and publish its rounds of groups, record its
    /// meetings and hosts; `coordinator` when the account's person coordinates that
    /// network (or the one it sits in). As a route's rule (`coordinator: true`)
    /// it admits whoever coordinates any network; the handler then asks with the relation.
    CoordinateNetwork { coordinator: bool },
    /// Record the aspects a group of a conversation round raised; `facilitator` when the
    /// account's person coordinates that group's network. As a route's rule
    /// (`facilitator: true`) it admits whoever coordinates any network.
    RecordAspects { facilitator: bool },
    /// Keep an event: its agenda and (later) its participants; `organiser` when the account
    /// organises that event (an `event_organiser` membership) or coordinates its network.
    /// As a route's rule (`organiser: true`) it admits whoever organises some event or
    /// coordinates some network; the handler then asks with the relation.
    OrganiseEvent { organiser: bool },
    /// Counsel at a session: offer slots and write notes; `counsellor` when the account
    /// holds an `event_counsellor` membership of that session. As a route's rule
    /// (`counsellor: true`) it admits whoever counsels at some session. No global role
    /// counsels: an administrator or the agency's coordinator is not the counsellor.
    Counsel { counsellor: bool },
    /// See who booked a counselling slot: the counsellor of the slot, or the participant
    /// who booked it (`own`). Nobody else — not the event's organiser, not an
    /// administrator.
    SeeBooking { counsellor: bool, own: bool },
    /// Read a counselling note: the counsellor who wrote it, or the participant when the
    /// counsellor shared it (`shared_with_me`). Nobody else, whatever their role.
    ReadCounsellingNote {
        counsellor: bool,
        shared_with_me: bool,
    },
    /// See and attach an event's materials (slides, good-practice descriptions): whoever
    /// organises it (`organiser`), and whoever takes part (`participant`: a confirmed
    /// registration, or a counsellor of the session).
    ShareMaterials { organiser: bool, participant: bool },
    /// Remove a material: an organiser of its event, or whoever attached it (`own`).
    RemoveMaterial { organiser: bool, own: bool },
    /// See the assessment of school owners for guidance (the ranked list, every point):
    /// the agency's coordinators. Published indicators are public and need no permission.
    AssessOwners,
    /// See a guidance case: the agency's coordinators every case; an advisor of the case
    /// (`advisor`: a `case_advisor` membership) or the owner's contact (`owner`: a
    /// `case_owner_contact` membership) theirs.
    ViewCase { advisor: bool, owner: bool },
    /// Record a phase's outputs and sign it off: the case's advisor or the owner's contact,
    /// never a global role.
    WorkOnCase { advisor: bool, owner: bool },
    /// Keep questionnaire templates: the agency's coordinators.
    DesignQuestionnaires,
    /// Run a survey — attach it, ask its participants, review its free text, see every
    /// wave's results: the agency's coordinators; else whoever keeps its subject (`runs`:
    /// organises the event, coordinates the network, advises the case). As a route's rule
    /// (`runs: true`) it admits whoever could keep some subject.
    RunSurvey { runs: bool },
    /// See a survey's results (thresholds applied, reviewed text only): whoever runs it, a
    /// counsellor at one of its sessions (`hosts`), and a person asked in it (`invited`,
    /// the waves they were asked in).
    SeeSurveyResults {
        runs: bool,
        hosts: bool,
        invited: bool,
    },
    /// Download the raw anonymous answer sets: administrators only.
    RawAnswers,
}

/// The whole policy. `None` is the anonymous public.
pub fn allows(user: Option<&Account>, action: Action) -> bool {
    let role = user.map(|u| u.role);
    match action {
        Action::ViewDirectory => true,
        Action::ViewPeople { own } => match role {
            Some(Role::Admin | Role::Coordinator | Role::Advisor) => true,
            Some(Role::Owner | Role::Leader | Role::Provider) => own,
            None => false,
        },
        Action::ViewDashboard => role.is_some(),
        Action::ManageAccounts => role == Some(Role::Admin),
        Action::ViewAudit => matches!(role, Some(Role::Admin | Role::Coordinator)),
        Action::KeepOwnRegistration => role == Some(Role::Leader),
        Action::Committee | Action::ManageOffers => {
            matches!(role, Some(Role::Admin | Role::Coordinator))
        }
        // A board's view belongs to whoever represents a board (a membership), not to a
        // global role.
        Action::BoardRegister => user.is_some_and(|u| u.holds_any(ContextRole::Representative)),
        // Coordinators add offers for any provider; a provider's staff for their own.
        Action::AddOffer { own_org } => match role {
            Some(Role::Admin | Role::Coordinator) => true,
            Some(_) => own_org && user.is_some_and(|u| u.holds_any(ContextRole::Staff)),
            None => false,
        },
        Action::ViewOutbox => role == Some(Role::Admin),
        Action::AssessOwners => matches!(role, Some(Role::Admin | Role::Coordinator)),
        Action::ViewCase { advisor, owner } => match role {
            Some(Role::Admin | Role::Coordinator) => true,
            Some(_) => case_party(user, advisor, owner),
            None => false,
        },
        Action::WorkOnCase { advisor, owner } => case_party(user, advisor, owner),
        Action::ViewEvidence { own } => {
            own || matches!(role, Some(Role::Admin | Role::Coordinator))
        }
        // The agency's staff see every network's people; others those of their own networks.
        Action::ViewNetworkPeople { member } => match role {
            Some(Role::Admin | Role::Coordinator | Role::Advisor) => true,
            Some(Role::Owner | Role::Leader | Role::Provider) => member,
            None => false,
        },
        // The agency's coordinators form rounds and record aspects anywhere; anyone else only
        // in a network (or a round's group) they coordinate: a membership, not a global role.
        Action::CoordinateNetwork {
            coordinator: related,
        }
        | Action::RecordAspects {
            facilitator: related,
        } => match role {
            Some(Role::Admin | Role::Coordinator) => true,
            Some(_) => {
                related && user.is_some_and(|u| u.holds_any(ContextRole::NetworkCoordinator))
            }
            None => false,
        },
        // The agency's coordinators keep every event; anyone else the events they organise,
        // which a membership says (of the event, or of the network it belongs to).
        Action::OrganiseEvent { organiser } => match role {
            Some(Role::Admin | Role::Coordinator) => true,
            Some(_) => {
                organiser
                    && user.is_some_and(|u| {
                        u.holds_any(ContextRole::EventOrganiser)
                            || u.holds_any(ContextRole::NetworkCoordinator)
                    })
            }
            None => false,
        },
        // Counselling is confidential: a membership of the session, never a global role.
        Action::Counsel { counsellor } => {
            counsellor && user.is_some_and(|u| u.holds_any(ContextRole::EventCounsellor))
        }
        Action::SeeBooking { counsellor, own } => user.is_some() && (counsellor || own),
        Action::ReadCounsellingNote {
            counsellor,
            shared_with_me,
        } => user.is_some() && (counsellor || shared_with_me),
        Action::ShareMaterials {
            organiser,
            participant,
        } => user.is_some() && (organiser || participant),
        Action::RemoveMaterial { organiser, own } => user.is_some() && (organiser || own),
        Action::DesignQuestionnaires => matches!(role, Some(Role::Admin | Role::Coordinator)),
        // Running a survey follows keeping its subject: a membership, or the agency.
        Action::RunSurvey { runs } => match role {
            Some(Role::Admin | Role::Coordinator) => true,
            Some(_) => {
                runs && user.is_some_and(|u| {
                    u.holds_any(ContextRole::EventOrganiser)
                        || u.holds_any(ContextRole::NetworkCoordinator)
                        || u.holds_any(ContextRole::CaseAdvisor)
                })
            }
            None => false,
        },
        Action::SeeSurveyResults {
            runs,
            hosts,
            invited,
        } => {
            allows(user, Action::RunSurvey { runs })
                || (user.is_some()
                    && (invited
                        || (hosts
                            && user.is_some_and(|u| u.holds_any(ContextRole::EventCounsellor)))))
        }
        Action::RawAnswers => role == Some(Role::Admin),
    }
}

/// Whether the account is a party to a case as it says: its advisor, or the owner's contact.
fn case_party(user: Option<&Account>, advisor: bool, owner: bool) -> bool {
    user.is_some_and(|u| {
        (advisor && u.holds_any(ContextRole::CaseAdvisor))
            || (owner && u.holds_any(ContextRole::CaseOwnerContact))
    })
}

/// What a navigation menu may offer the account, decided here once per page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Menu {
    pub own_registration: bool,
    pub committee: bool,
    pub board: bool,
    pub outbox: bool,
    pub accounts: bool,
    pub audit: bool,
    pub assess: bool,
    pub cases: bool,
}

impl Menu {
    pub fn for_user(user: Option<&Account>) -> Self {
        Self {
            own_registration: allows(user, Action::KeepOwnRegistration),
            committee: allows(user, Action::Committee),
            board: allows(user, Action::BoardRegister),
            outbox: allows(user, Action::ViewOutbox),
            accounts: allows(user, Action::ManageAccounts),
            audit: allows(user, Action::ViewAudit),
            assess: allows(user, Action::AssessOwners),
            cases: allows(
                user,
                Action::ViewCase {
                    advisor: true,
                    owner: true,
                },
            ),
        }
    }
}

/// The permission a handler's argument type names ([`crate::http::authorize::Authorized`]).
pub trait Permission {
    const ACTION: Action;
}

/// Permissions that do not depend on the object, one type per action, so that a handler
/// asks for one by type and a misspelt permission does not compile.
pub mod can {
    use super::{Action, Permission};

    macro_rules! permissions {
        ($($(#[$m:meta])* $name:ident),+ $(,)?) => {
            $(
                $(#[$m])*
                pub struct $name;
                impl Permission for $name {
                    const ACTION: Action = Action::$name;
                }
            )+
        };
    }

    permissions!(
        ViewDashboard,
        ManageAccounts,
        ViewAudit,
        KeepOwnRegistration,
        Committee,
        BoardRegister,
        ManageOffers,
        ViewOutbox,
        AssessOwners,
        DesignQuestionnaires,
        RawAnswers,
    );

    /// Runs some survey, or could (keeps some subject; the agency): the route's rule of
    /// making surveys; the handler asks again with the subject in question.
    pub struct RunSomeSurvey;
    impl Permission for RunSomeSurvey {
        const ACTION: Action = Action::RunSurvey { runs: true };
    }

    /// Coordinates some network (or all, as the agency's coordinator): the route's rule of
    /// the rounds' pages; the handler asks again with the network in question.
    pub struct CoordinateSomeNetwork;
    impl Permission for CoordinateSomeNetwork {
        const ACTION: Action = Action::CoordinateNetwork { coordinator: true };
    }

    /// Facilitates some group (coordinates its network), or coordinates all: the route's
    /// rule of recording aspects; the handler asks again with the group in question.
    pub struct FacilitateSomeGroup;
    impl Permission for FacilitateSomeGroup {
        const ACTION: Action = Action::RecordAspects { facilitator: true };
    }

    /// Organises some event (or coordinates some network, or all events as the agency's
    /// coordinator): the route's rule of an event's keeping; the handler asks again with
    /// the event in question.
    pub struct OrganiseSomeEvent;
    impl Permission for OrganiseSomeEvent {
        const ACTION: Action = Action::OrganiseEvent { organiser: true };
    }

    /// Counsels at some session: the route's rule of offering slots and writing notes; the
    /// handler asks again with the session in question.
    pub struct CounselSomeSession;
    impl Permission for CounselSomeSession {
        const ACTION: Action = Action::Counsel { counsellor: true };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An account of `role` with the membership its demo account has (a board's
    /// representative, a provider's staff).
    fn acct(role: Role) -> Account {
        use headway_domain::memberships::Membership;
        let held = match role {
            Role::Owner => Some(ContextRole::Representative),
            Role::Provider => Some(ContextRole::Staff),
            _ => None,
        };
        Account {
            id: 1,
            username: "u".into(),
            display_name: "U".into(),
            role,
            organization_id: Some(9),
            person_id: None,
            language: None,
            memberships: held
                .map(|role| Membership {
                    role,
                    context_id: 9,
                })
                .into_iter()
                .collect(),
        }
    }

    #[test]
    fn materials_follow_taking_part_not_roles() {
        let share = |organiser, participant| Action::ShareMaterials {
            organiser,
            participant,
        };
        for role in Role::ALL.iter().copied() {
            let a = acct(role);
            assert!(!allows(Some(&a), share(false, false)), "{role:?}");
            assert!(allows(Some(&a), share(false, true)) && allows(Some(&a), share(true, false)));
            assert!(!allows(
                Some(&a),
                Action::RemoveMaterial {
                    organiser: false,
                    own: false
                }
            ));
            assert!(allows(
                Some(&a),
                Action::RemoveMaterial {
                    organiser: false,
                    own: true
                }
            ));
        }
        assert!(!allows(None, share(true, true)), "never the anonymous");
    }

    #[test]
    fn cases_are_seen_by_their_parties_and_the_agency_and_worked_on_by_parties_only() {
        use headway_domain::memberships::Membership;
        let both = |advisor, owner| {
            (
                Action::ViewCase { advisor, owner },
                Action::WorkOnCase { advisor, owner },
            )
        };
        let mut advisor = acct(Role::Advisor);
        advisor.memberships.clear();
        let (view, work) = both(true, false);
        assert!(!allows(Some(&advisor), view), "an advisor without the case");
        advisor.memberships.push(Membership {
            role: ContextRole::CaseAdvisor,
            context_id: 7,
        });
        assert!(allows(Some(&advisor), view) && allows(Some(&advisor), work));
        assert!(
            !allows(Some(&advisor), both(false, false).0),
            "another case"
        );
        let mut owner = acct(Role::Owner);
        owner.memberships.push(Membership {
            role: ContextRole::CaseOwnerContact,
            context_id: 7,
        });
        assert!(allows(Some(&owner), both(false, true).1));
        assert!(
            !allows(Some(&owner), both(true, false).1),
            "not as its advisor"
        );
        for role in [Role::Admin, Role::Coordinator] {
            let a = acct(role);
            assert!(allows(Some(&a), both(false, false).0));
            assert!(
                !allows(Some(&a), both(false, false).1),
                "{role:?} is no party"
            );
        }
        assert!(!allows(None, both(true, true).0));
    }

    #[test]
    fn context_roles_decide_not_global_ones() {
        // An owner account that represents no board has no board view; any account that
        // represents one has.
        let mut owner = acct(Role::Owner);
        owner.memberships.clear();
        assert!(!allows(Some(&owner), Action::BoardRegister));
        let mut advisor = acct(Role::Advisor);
        advisor
            .memberships
            .push(headway_domain::memberships::Membership {
                role: ContextRole::Representative,
                context_id: 3,
            });
        assert!(allows(Some(&advisor), Action::BoardRegister));
        // An event's organiser keeps it whatever the global role; a leader who organises
        // nothing does not.
        let mut leader = acct(Role::Leader);
        assert!(!allows(
            Some(&leader),
            Action::OrganiseEvent { organiser: true }
        ));
        leader
            .memberships
            .push(headway_domain::memberships::Membership {
                role: ContextRole::EventOrganiser,
                context_id: 4,
            });
        assert!(allows(
            Some(&leader),
            Action::OrganiseEvent { organiser: true }
        ));
        assert!(!allows(
            Some(&leader),
            Action::OrganiseEvent { organiser: false }
        ));
        // Counselling notes: the counsellor, and the participant when shared; never the
        // administrator or the agency's coordinator, who keep every event.
        for role in [Role::Admin, Role::Coordinator] {
            let a = acct(role);
            assert!(allows(Some(&a), Action::OrganiseEvent { organiser: false }));
            assert!(!allows(Some(&a), Action::Counsel { counsellor: true }));
            assert!(!allows(
                Some(&a),
                Action::SeeBooking {
                    counsellor: false,
                    own: false
                }
            ));
            assert!(!allows(
                Some(&a),
                Action::ReadCounsellingNote {
                    counsellor: false,
                    shared_with_me: false
                }
            ));
        }
        let mut counsellor = acct(Role::Provider);
        assert!(!allows(
            Some(&counsellor),
            Action::Counsel { counsellor: true }
        ));
        counsellor
            .memberships
            .push(headway_domain::memberships::Membership {
                role: ContextRole::EventCounsellor,
                context_id: 4,
            });
        assert!(allows(
            Some(&counsellor),
            Action::Counsel { counsellor: true }
        ));
        assert!(!allows(
            Some(&counsellor),
            Action::Counsel { counsellor: false }
        ));
        let participant = acct(Role::Leader);
        assert!(allows(
            Some(&participant),
            Action::ReadCounsellingNote {
                counsellor: false,
                shared_with_me: true
            }
        ));
        assert!(!allows(
            None,
            Action::SeeBooking {
                counsellor: true,
                own: true
            }
        ));
        // A provider without staff membership adds no offers, even "its own".
        let mut provider = acct(Role::Provider);
        provider.memberships.clear();
        assert!(!allows(Some(&provider), Action::AddOffer { own_org: true }));
    }

    #[test]
    fn matrix() {
        let cases = [
            (None, Action::ViewDirectory, true),
            (None, Action::ViewPeople { own: true }, false),
            (Some(Role::Owner), Action::ViewPeople { own: false }, false),
            (Some(Role::Owner), Action::ViewPeople { own: true }, true),
            (Some(Role::Leader), Action::ViewPeople { own: true }, true),
            (Some(Role::Advisor), Action::ViewPeople { own: false }, true),
            (None, Action::ViewNetworkPeople { member: true }, false),
            (
                Some(Role::Leader),
                Action::ViewNetworkPeople { member: false },
                false,
            ),
            (
                Some(Role::Leader),
                Action::ViewNetworkPeople { member: true },
                true,
            ),
            (
                Some(Role::Owner),
                Action::ViewNetworkPeople { member: false },
                false,
            ),
            (
                Some(Role::Coordinator),
                Action::ViewNetworkPeople { member: false },
                true,
            ),
            (Some(Role::Coordinator), Action::ManageAccounts, false),
            (Some(Role::Admin), Action::ManageAccounts, true),
            (Some(Role::Coordinator), Action::ViewAudit, true),
            (
                Some(Role::Coordinator),
                Action::CoordinateNetwork { coordinator: false },
                true,
            ),
            (
                Some(Role::Advisor),
                Action::CoordinateNetwork { coordinator: false },
                false,
            ),
            (
                Some(Role::Leader),
                Action::CoordinateNetwork { coordinator: true },
                false,
            ),
            (None, Action::CoordinateNetwork { coordinator: true }, false),
            (
                Some(Role::Coordinator),
                Action::OrganiseEvent { organiser: false },
                true,
            ),
            (
                Some(Role::Advisor),
                Action::OrganiseEvent { organiser: false },
                false,
            ),
            (
                Some(Role::Leader),
                Action::OrganiseEvent { organiser: true },
                false,
            ),
            (None, Action::OrganiseEvent { organiser: true }, false),
            (Some(Role::Advisor), Action::ViewAudit, false),
            (Some(Role::Coordinator), Action::AssessOwners, true),
            (
                Some(Role::Coordinator),
                Action::ViewCase {
                    advisor: false,
                    owner: false,
                },
                true,
            ),
            (
                Some(Role::Coordinator),
                Action::WorkOnCase {
                    advisor: false,
                    owner: false,
                },
                false,
            ),
            (Some(Role::Advisor), Action::AssessOwners, false),
            (Some(Role::Owner), Action::AssessOwners, false),
            (None, Action::AssessOwners, false),
            (None, Action::ViewDashboard, false),
            (Some(Role::Leader), Action::KeepOwnRegistration, true),
            (Some(Role::Owner), Action::KeepOwnRegistration, false),
            (Some(Role::Coordinator), Action::Committee, true),
            (Some(Role::Advisor), Action::Committee, false),
            (Some(Role::Owner), Action::BoardRegister, true),
            (Some(Role::Coordinator), Action::BoardRegister, false),
            (
                Some(Role::Leader),
                Action::ViewEvidence { own: false },
                false,
            ),
            (Some(Role::Leader), Action::ViewEvidence { own: true }, true),
            (None, Action::ViewOutbox, false),
            (
                Some(Role::Provider),
                Action::AddOffer { own_org: true },
                true,
            ),
            (
                Some(Role::Provider),
                Action::AddOffer { own_org: false },
                false,
            ),
            (
                Some(Role::Coordinator),
                Action::AddOffer { own_org: false },
                true,
            ),
            (Some(Role::Provider), Action::ManageOffers, false),
            (
                Some(Role::Leader),
                Action::AddOffer { own_org: true },
                false,
            ),
        ];
        for (role, action, want) in cases {
            let a = role.map(acct);
            assert_eq!(allows(a.as_ref(), action), want, "{role:?} {action:?}");
        }
    }
}
