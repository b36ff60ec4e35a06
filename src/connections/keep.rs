//! "Keep me signed in for this tab": the credentials of the connections the user ticked it for,
//! as text for `sessionStorage` (which lives as long as the tab, and never in `localStorage`).
//! Pure, so that the format is tested natively; `crate::live` reads and writes the storage.

use crate::connections::config::Connection;
use crate::connections::Credentials;

/// The `sessionStorage` key.
pub const KEY: &str = "session-viewer.credentials";

/// One line per connection, five tab-separated fields: `key R token session-id -`,
/// `key B token - -` or `key G access - expires-at-ms` (`-` standing for an empty field),
/// where `key` is what the entry is filed under ([`key`] of its connection). A grant's refresh
/// token is never stored (it outlives the access token by far, and would let anything that reads
/// the tab's storage sign in anew): after a reload the access token serves until it expires, and
/// then the user logs on again.
/// Entries whose values hold a tab or a line break are left out rather than stored wrongly (that
/// connection then asks for a log-on after a reload). Plain loops: this runs in the wasm bundle.
pub fn encode<'a>(entries: impl IntoIterator<Item = (&'a String, &'a Credentials)>) -> String {
    let mut out = String::new();
    for (id, creds) in entries {
        let expires;
        let (tag, a, b, c) = match creds {
            Credentials::RestSession { token, session_id } => {
                ("R", token.as_str(), session_id.as_deref().unwrap_or(""), "")
            }
            Credentials::Bearer(token) => ("B", token.as_str(), "", ""),
            Credentials::Grant {
                access,
                expires_at_ms,
                ..
            } => {
                expires = expires_at_ms.map(|e| e.to_string()).unwrap_or_default();
                ("G", access.as_str(), "", expires.as_str())
            }
            Credentials::Ambient => continue,
        };
        let fields = [id.as_str(), tag, a, b, c];
        if fields.iter().any(|f| f.contains(['\t', '\n', '\r'])) {
            continue;
        }
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                out.push('\t');
            } else if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(field);
        }
    }
    out
}

/// Reads what [`encode`] wrote; lines that do not read are skipped.
pub fn decode(text: &str) -> Vec<(String, Credentials)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut f = line.split('\t');
        let (Some(id), Some(tag), Some(a)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        let b = f.next().filter(|b| !b.is_empty()).map(str::to_string);
        let c = f.next().unwrap_or("");
        if id.is_empty() || a.is_empty() {
            continue;
        }
        let a = a.to_string();
        let creds = match tag {
            "R" => Credentials::RestSession {
                token: a,
                session_id: b,
            },
            "B" => Credentials::Bearer(a),
            // Never a refresh token from storage, even one an older version wrote.
            "G" => Credentials::Grant {
                access: a,
                refresh: None,
                expires_at_ms: c.parse().ok(),
            },
            _ => continue,
        };
        out.push((id.to_string(), creds));
    }
    out
}

/// What kept credentials are filed under: the connection's id, kind and base URL together. After
/// a reload they go back only to the very connection they were for, never to another one that
/// took the same id meanwhile (a changed `config.json`, an editor connection replaced), which
/// would send them to another server.
pub fn key(conn: &Connection) -> String {
    format!("{} {} {}", conn.id, conn.kind.id(), conn.base_url)
}

/// The kept entries of [`decode`] whose [`key`] is one of `conns`', under that connection's id.
pub fn restorable(text: &str, conns: &[&Connection]) -> Vec<(String, Credentials)> {
    decode(text)
        .into_iter()
        .filter_map(|(filed, creds)| {
            conns
                .iter()
                .find(|c| key(c) == filed)
                .map(|c| (c.id.clone(), creds))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_go_back_only_to_the_connection_they_were_kept_for() {
        let conn = |id: &str, base_url: &str| Connection {
            id: id.into(),
            kind: crate::vendors::Kind::VeeamAws,
            label: "AWS".into(),
            base_url: base_url.into(),
            api_version: None,
            auth: crate::connections::config::AuthMode::Password,
            timeout_s: crate::connections::config::DEFAULT_TIMEOUT_S,
        };
        let aws = conn("aws", "/vendors/aws");
        let token = Credentials::Bearer("t".into());
        let text = encode([(&key(&aws), &token)]);
        assert!(
            !text.contains("\taws\t"),
            "filed under more than the id: {text:?}"
        );
        assert_eq!(restorable(&text, &[&aws]), [("aws".to_string(), token)]);
        // The same id, now for another server: nothing goes there.
        assert_eq!(
            restorable(&text, &[&conn("aws", "https://elsewhere.example")]),
            []
        );
        assert_eq!(restorable(&text, &[]), []);
        // Entries kept by an older version (filed under the bare id) are not restored either.
        assert_eq!(restorable("aws\tB\tt", &[&aws]), []);
    }

    #[test]
    fn every_kind_of_credentials_round_trips() {
        let entries = vec![
            (
                "em".to_string(),
                Credentials::RestSession {
                    token: "NDRj".into(),
                    session_id: Some("5496".into()),
                },
            ),
            (
                "em2".to_string(),
                Credentials::RestSession {
                    token: "x".into(),
                    session_id: None,
                },
            ),
            (
                "ekran".to_string(),
                Credentials::Bearer("ekran-demo-token".into()),
            ),
            (
                "vba".to_string(),
                Credentials::Grant {
                    access: "a".into(),
                    refresh: Some("r".into()),
                    expires_at_ms: Some(1_700_000_000_000),
                },
            ),
            (
                "m365".to_string(),
                Credentials::Grant {
                    access: "a".into(),
                    refresh: None,
                    expires_at_ms: None,
                },
            ),
        ];
        let text = encode(entries.iter().map(|(i, c)| (i, c)));
        assert!(text.contains("vba\tG\ta\t\t1700000000000"), "{text}");
        let mut back = decode(&text);
        back.sort_by(|a, b| a.0.cmp(&b.0));
        // Everything but the refresh token comes back.
        let mut expected = entries.clone();
        for (_, c) in &mut expected {
            if let Credentials::Grant { refresh, .. } = c {
                *refresh = None;
            }
        }
        expected.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(back, expected);
    }

    #[test]
    fn what_cannot_be_stored_safely_is_left_out_and_junk_is_skipped() {
        let odd = ("x".to_string(), Credentials::Bearer("line\nbreak".into()));
        let ambient = ("pam".to_string(), Credentials::Ambient);
        assert_eq!(encode([(&odd.0, &odd.1), (&ambient.0, &ambient.1)]), "");
        assert_eq!(
            decode("junk\n\tB\tt\nid\tB\t\nid\tQ\tt\nok\tB\tt\nid\tG\ta\tr\tnot-a-number"),
            vec![
                ("ok".to_string(), Credentials::Bearer("t".into())),
                (
                    "id".to_string(),
                    Credentials::Grant {
                        access: "a".into(),
                        refresh: None,
                        expires_at_ms: None
                    }
                ),
            ]
        );
    }
}
