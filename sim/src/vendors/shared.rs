//! Names several products share, so generated data fits together across vendors: one company's
//! policies/jobs and one set of administrators, as a site running all five products would have.

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
