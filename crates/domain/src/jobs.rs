//! Background jobs: work that takes longer than a request (a round's search) is stored,
//! claimed by one server at a time through a lease in the database, and resumed by
//! another server when the lease runs out.

use crate::codes::codes;

codes!(
    /// Where a job stands.
    JobStatus, "status", "jstatus" {
        /// Waiting for a server.
        Queued => "queued",
        /// A server holds the lease and works on it.
        Running => "running",
        Done => "done",
        /// Stopped by an error, or its servers died too often; may be restarted.
        Failed => "failed",
        /// Stopped on request; may be restarted.
        Cancelled => "cancelled",
    }
);

impl JobStatus {
    /// Whether the job will not change again unless restarted.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            JobStatus::Done | JobStatus::Failed | JobStatus::Cancelled
        )
    }
}
