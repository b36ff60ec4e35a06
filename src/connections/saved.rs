//! Connections added in the connection editor, as text for `localStorage`: versioned JSON whose
//! entries are `config.json`'s own, read back through the same check, and never a secret. Pure,
//! so that the format is tested natively; `crate::live` reads and writes the storage.

use crate::connections::config::{read_connection, Connection, DEFAULT_TIMEOUT_S};

/// The `localStorage` key.
pub const KEY: &str = "session-viewer.connections";

/// The format written by [`encode`]; a value of another version is reported and ignored.
pub const VERSION: u32 = 1;

/// What [`decode`] found: the usable connections, and one sentence per thing it ignored.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Saved {
    pub connections: Vec<Connection>,
    pub problems: Vec<String>,
}

/// The stored value, its entries still raw.
struct RawFile<'a> {
    version: Option<u32>,
    connections: Vec<&'a serde_json::value::RawValue>,
}

impl<'a> RawFile<'a> {
    /// Read by field, without a serde derive (each costs the bundle its visitor).
    fn read(text: &'a str) -> Result<RawFile<'a>, crate::vendors::ItemError> {
        let fields = crate::vendors::Fields::parse(text)?;
        Ok(RawFile {
            version: fields
                .uint("version")?
                .map(|v| u32::try_from(v).unwrap_or(u32::MAX)),
            connections: fields.list("connections")?.unwrap_or_default(),
        })
    }
}

/// The text stored for `connections`: for each, exactly `id`, `kind`, `label`, `baseUrl`,
/// `apiVersion` (where set), `auth` and `timeoutSeconds`, none of which is a credential; a
/// [`Connection`] holds none either (see the test `a_connection_holds_nothing_secret`). Written
/// by hand: serde's serializer would cost wasm for seven fields.
pub fn encode(connections: &[Connection]) -> String {
    let mut out = format!("{{\"version\":{VERSION},\"connections\":[");
    for (i, c) in connections.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let fields = [
            ("id", Some(c.id.as_str())),
            ("kind", Some(c.kind.id())),
            ("label", Some(c.label.as_str())),
            ("baseUrl", Some(c.base_url.as_str())),
            ("apiVersion", c.api_version.as_deref()),
            ("auth", Some(c.auth.id())),
        ];
        out.push('{');
        for (name, value) in fields {
            if let Some(value) = value {
                out.push_str(&format!("\"{name}\":"));
                crate::format::json_string(value, &mut out);
                out.push(',');
            }
        }
        out.push_str(&format!("\"timeoutSeconds\":{}}}", c.timeout_s));
    }
    out.push_str("]}");
    out
}

/// Reads what [`encode`] wrote, checking each entry exactly as `config.json`'s (`taken` says
/// which ids `config.json` already uses). A value that is not this format is one problem and
/// no connections; a bad entry is one problem and the rest are kept.
pub fn decode(text: &str, taken: &dyn Fn(&str) -> bool) -> Saved {
    let mut saved = Saved::default();
    let ignored = "The connections saved in this browser are ignored";
    let raw = match RawFile::read(text) {
        Ok(raw) => raw,
        Err(e) => {
            saved.problems.push(format!(
                "{ignored}: they cannot be read ({e}). Adding a connection here replaces them."
            ));
            return saved;
        }
    };
    if raw.version != Some(VERSION) {
        saved.problems.push(match raw.version {
            Some(v) => format!(
                "{ignored}: they were saved in format {v}, and this version of the app reads format {VERSION}. Adding a connection here replaces them."
            ),
            None => format!(
                "{ignored}: they are not in this app's format. Adding a connection here replaces them."
            ),
        });
        return saved;
    }
    for (index, entry) in raw.connections.into_iter().enumerate() {
        let earlier = &saved.connections;
        let taken = |id: &str| taken(id) || earlier.iter().any(|c| c.id == id);
        match read_connection(entry.get(), &taken, DEFAULT_TIMEOUT_S) {
            Ok(c) => saved.connections.push(c),
            Err(why) => saved.problems.push(format!(
                "The saved connection {} is ignored: {why}",
                index + 1
            )),
        }
    }
    saved
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connections::config::AuthMode;
    use crate::vendors::Kind;

    fn every_kind() -> Vec<Connection> {
        let conn = |id: &str, kind, base: &str, version: Option<&str>, auth| Connection {
            id: id.into(),
            kind,
            label: format!("“{id}” <b>&</b> \\ \"q\" \u{1F512}"),
            base_url: base.into(),
            api_version: version.map(Into::into),
            auth,
            timeout_s: 45,
        };
        vec![
            conn("em", Kind::VeeamEm, "/vendors/em", None, AuthMode::Password),
            conn(
                "aws",
                Kind::VeeamAws,
                "https://vba.example:11005",
                Some("1.7-rev0"),
                AuthMode::Token,
            ),
            conn(
                "pam",
                Kind::MimPam,
                "/vendors/pam",
                Some("2.0"),
                AuthMode::Browser,
            ),
            conn(
                "m365",
                Kind::VeeamM365,
                "http://127.0.0.1:9/m",
                None,
                AuthMode::None,
            ),
            conn(
                "ekran",
                Kind::Ekran,
                "/vendors/ekran",
                None,
                AuthMode::Token,
            ),
        ]
    }

    fn nothing_taken(_: &str) -> bool {
        false
    }

    #[test]
    fn every_kind_round_trips() {
        let all = every_kind();
        let text = encode(&all);
        assert_eq!(
            decode(&text, &nothing_taken),
            Saved {
                connections: all,
                problems: vec![]
            }
        );
        assert_eq!(decode(&encode(&[]), &nothing_taken), Saved::default());
    }

    #[test]
    fn strings_are_written_as_json_reads_them() {
        let text: String = (0u32..0x80)
            .filter_map(char::from_u32)
            .chain("“é” \u{1F512} \u{2028}".chars())
            .collect();
        let mut out = String::new();
        crate::format::json_string(&text, &mut out);
        assert_eq!(serde_json::from_str::<String>(&out).ok(), Some(text));
    }

    /// Adding a field to `Connection` fails to compile here: decide first whether it may be
    /// written to `localStorage`, which must never hold a password, token or other credential.
    #[test]
    fn a_connection_holds_nothing_secret() {
        for c in every_kind() {
            let Connection {
                id: _,
                kind: _,
                label: _,
                base_url: _,
                api_version: _,
                auth: _,
                timeout_s: _,
            } = c;
        }
    }

    #[test]
    fn the_stored_text_has_exactly_the_known_fields() {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Top {
            #[allow(dead_code)]
            version: u32,
            connections: Vec<std::collections::BTreeMap<String, serde_json::Value>>,
        }
        let top: Top = serde_json::from_str(&encode(&every_kind())).expect("reads"); // ok: test fixture
        let allowed = [
            "id",
            "kind",
            "label",
            "baseUrl",
            "apiVersion",
            "auth",
            "timeoutSeconds",
        ];
        for entry in top.connections {
            assert!(
                entry.keys().all(|k| allowed.contains(&k.as_str())),
                "{entry:?}"
            );
        }
    }

    #[test]
    fn secrets_planted_in_storage_are_not_read_and_not_written_back() {
        let planted = r#"{"version":1,"connections":[{"id":"aws","kind":"veeam-aws","baseUrl":"/vendors/aws",
            "password":"hunter2","token":"eyJhbGciOi","credentials":{"access":"a"},"refresh_token":"r"}]}"#;
        let saved = decode(planted, &nothing_taken);
        assert_eq!(saved.problems, Vec::<String>::new());
        let again = encode(&saved.connections);
        for secret in [
            "hunter2",
            "eyJhbGciOi",
            "\"password\":",
            "\"token\":",
            "credentials",
            "refresh",
        ] {
            assert!(!again.contains(secret), "{secret} in {again}");
        }
        // And a base URL cannot carry them either.
        let in_url = r#"{"version":1,"connections":[{"id":"a","kind":"ekran","baseUrl":"https://u:hunter2@e.example"}]}"#;
        let saved = decode(in_url, &nothing_taken);
        assert!(saved.connections.is_empty());
        assert!(
            !saved.problems[0].contains("hunter2"),
            "{:?}",
            saved.problems
        );
    }

    #[test]
    fn corrupt_and_foreign_values_are_reported_and_ignored() {
        for (text, needle) in [
            ("", "cannot be read"),
            ("not json", "cannot be read"),
            ("{\"version\":1,\"connections\":[", "cannot be read"),
            ("[1,2]", "cannot be read"),
            ("null", "cannot be read"),
            ("\"a string\"", "cannot be read"),
            ("{\"version\":\"1\",\"connections\":[]}", "cannot be read"),
            ("{\"version\":-1}", "cannot be read"),
            ("{\"connections\":[]}", "not in this app's format"),
            ("{\"theme\":\"dark\"}", "not in this app's format"),
            ("{\"version\":2,\"connections\":[]}", "format 2"),
            ("{\"version\":1,\"connections\":{}}", "cannot be read"),
        ] {
            let saved = decode(text, &nothing_taken);
            assert!(saved.connections.is_empty(), "{text}");
            assert_eq!(saved.problems.len(), 1, "{text}");
            assert!(
                saved.problems[0].contains(needle),
                "{text}: {:?}",
                saved.problems
            );
            assert!(
                saved.problems[0].starts_with("The connections saved in this browser are ignored")
            );
        }
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(decode(&deep, &nothing_taken).problems.len(), 1);
    }

    #[test]
    fn bad_and_duplicate_entries_are_skipped_with_reasons_and_config_ids_win() {
        let text = r#"{"version":1,"connections":[
            {"id":"a","kind":"ekran","baseUrl":"/e"},
            {"id":"a","kind":"ekran","baseUrl":"/e"},
            {"id":"cfg","kind":"ekran","baseUrl":"/e"},
            {"id":"j","kind":"ekran","baseUrl":"javascript:alert(1)"},
            {"id":"p","kind":"mim-pam","baseUrl":"/p","auth":"password"},
            42,
            {"id":"b","kind":"veeam-aws","baseUrl":"/aws","timeoutSeconds":9}
        ]}"#;
        let saved = decode(text, &|id| id == "cfg");
        let ids: Vec<&str> = saved.connections.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(saved.connections[1].timeout_s, 9);
        assert_eq!(saved.problems.len(), 5);
        for (problem, needle) in saved.problems.iter().zip([
            "connection 2 is ignored: the id “a” is used twice",
            "connection 3 is ignored: the id “cfg” is used twice",
            "connection 4 is ignored: its baseUrl “javascript:alert(1)” must start with",
            "connection 5 is ignored: Microsoft Identity Manager PAM has no password log-on",
            "connection 6 is ignored: invalid type",
        ]) {
            assert!(problem.contains(needle), "{needle} in {problem}");
        }
    }
}
