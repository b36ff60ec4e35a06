//! One adapter per connection kind: each owns its vendor's wire types and maps them into
//! [`crate::model`]. Nothing outside these folders knows a vendor's field names.

mod error;
pub mod veeam_aws;

pub use error::DecodeError;

/// The connection kinds of SPEC §1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    VeeamEm,
    VeeamAws,
    MimPam,
    VeeamM365,
    Ekran,
}

impl Kind {
    /// The id used in `config.json` and URLs.
    pub fn id(self) -> &'static str {
        match self {
            Kind::VeeamEm => "veeam-em",
            Kind::VeeamAws => "veeam-aws",
            Kind::MimPam => "mim-pam",
            Kind::VeeamM365 => "veeam-m365",
            Kind::Ekran => "ekran",
        }
    }

    /// The product's name, as people know it.
    pub fn product(self) -> &'static str {
        match self {
            Kind::VeeamEm => "Veeam Backup Enterprise Manager",
            Kind::VeeamAws => "Veeam Backup for AWS",
            Kind::MimPam => "Microsoft Identity Manager PAM",
            Kind::VeeamM365 => "Veeam Backup for Microsoft 365",
            Kind::Ekran => "Ekran System",
        }
    }
}
