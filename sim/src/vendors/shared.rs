//! Names several products share, so generated data fits together across vendors: one company's
//! policies/jobs and one set of administrators, as a site running all five products would have.

use crate::clock::{Ticks, TICKS_PER_MIN};

/// VBA policy names; EM's backup jobs protect the same workloads on-premises under the same
/// names, and PAM's roles grant access to them.
pub const POLICIES: [&str; 6] = [
    "prod-ec2-daily",
    "rds-hourly",
    "efs-weekly",
    "web-tier",
    "vpc-config",
    "dr-eu-west-1",
];

/// The administrators (sAMAccountName) who request PAM elevation and whose names appear as
/// EM's and Ekran's users. Domain: [`DOMAIN`].
pub const ADMINS: [&str; 5] = ["Jen", "Priya", "Tomasz", "Kwame", "Li"];

/// The PAM sample's domain (the seed's `FIMCITONEBOXAD\Jen`).
pub const DOMAIN: &str = "FIMCITONEBOXAD";

/// The job history every vendor with jobs tells (VBA policies, M365 jobs, EM backup jobs), so
/// that the app's "is this run normal?" has something to find in the generated data:
/// - a **steady** job whose runs take [`USUAL_RUN_MIN`] minutes give or take one ([`steady`]),
///   except its newest finished run, which takes [`SLOW_RUN_MIN`] (a slow run) because one of
///   its steps took all the extra time (a step that got slower; the others take their usual);
/// - a **failing** job whose latest [`FAILED_IN_A_ROW`] runs failed (a failure streak).
///
/// Each vendor names its two jobs beside its generator. The story is told by overriding drawn
/// values, never by drawing more, so every other generated value stays what the seed made it.
pub const USUAL_RUN_MIN: i64 = 30;
/// The steady job's slow run, in minutes: 2.5 × its usual.
pub const SLOW_RUN_MIN: i64 = 75;
/// How many of the failing job's latest runs failed.
pub const FAILED_IN_A_ROW: i64 = 4;

/// A steady duration: `usual_min` minutes, minus one, plus up to two from the drawn value.
pub fn steady(drawn: Ticks, usual_min: i64) -> Ticks {
    (usual_min - 1) * TICKS_PER_MIN + drawn.rem_euclid(2 * TICKS_PER_MIN)
}
