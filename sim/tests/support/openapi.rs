//! A small validator for the OpenAPI 3.0 schema subset the vendors' documents use: `$ref`,
//! `type`, `properties`, `required`, `enum`, `items`, `allOf`/`oneOf`/`anyOf`, `nullable`,
//! `additionalProperties` and the `date-time`/`uuid` formats. Written here because a full JSON
//! Schema crate costs more to compile (on a 2-core machine) than the checks need; its own tests
//! (`validator_*` in tests/schemas.rs) show that each rule can fail.
//!
//! "Closed" objects: the documents leave `additionalProperties` open, which would let a
//! misspelled field (`username` for `userName`) pass. `validate` therefore treats every object
//! as closed unless the schema has `additionalProperties`, with an explicit allow-list for the
//! fields newer than the document.

use serde_json::Value;

pub struct Doc {
    root: Value,
}

impl Doc {
    pub fn from_json(text: &str) -> Doc {
        Doc {
            root: serde_json::from_str(text).expect("OpenAPI JSON"),
        }
    }

    pub fn from_yaml(text: &str) -> Doc {
        let y: serde_yaml::Value = serde_yaml::from_str(text).expect("OpenAPI YAML");
        Doc {
            root: serde_json::to_value(y).expect("YAML as JSON"),
        }
    }

    /// The schema component `name` (`#/components/schemas/name`).
    pub fn component(&self, name: &str) -> &Value {
        let s = &self.root["components"]["schemas"][name];
        assert!(!s.is_null(), "no schema component {name}");
        s
    }

    /// Every violation of `v` against component `name`; `extra` names properties accepted
    /// beyond the document (fields of later revisions).
    pub fn validate(&self, name: &str, v: &Value, extra: &[&str]) -> Vec<String> {
        let mut errs = Vec::new();
        self.check(self.component(name), v, name, extra, &mut errs, 0);
        errs
    }

    /// Panics with every violation, naming what was checked.
    pub fn assert_valid(&self, name: &str, v: &Value, extra: &[&str], what: &str) {
        let errs = self.validate(name, v, extra);
        assert!(
            errs.is_empty(),
            "{what} does not match {name}:\n  {}\nbody: {}",
            errs.join("\n  "),
            truncate(&v.to_string())
        );
    }

    fn resolve<'a>(&'a self, s: &'a Value) -> &'a Value {
        match s.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r
                    .strip_prefix("#/components/schemas/")
                    .unwrap_or_else(|| panic!("unsupported $ref {r}"));
                self.component(name)
            }
            None => s,
        }
    }

    fn check(
        &self,
        s: &Value,
        v: &Value,
        path: &str,
        extra: &[&str],
        errs: &mut Vec<String>,
        depth: usize,
    ) {
        assert!(depth < 64, "schema recursion too deep at {path}");
        let s = self.resolve(s);
        if v.is_null() {
            if s.get("nullable") != Some(&Value::Bool(true)) && !s.is_null() {
                errs.push(format!("{path}: null where the schema is not nullable"));
            }
            return;
        }
        if let Some(all) = s.get("allOf").and_then(Value::as_array) {
            for sub in all {
                self.check(sub, v, path, extra, errs, depth + 1);
            }
        }
        for (key, exactly_one) in [("oneOf", true), ("anyOf", false)] {
            if let Some(alts) = s.get(key).and_then(Value::as_array) {
                let ok = alts
                    .iter()
                    .filter(|a| {
                        let mut e = Vec::new();
                        self.check(a, v, path, extra, &mut e, depth + 1);
                        e.is_empty()
                    })
                    .count();
                if (exactly_one && ok != 1) || ok == 0 {
                    errs.push(format!("{path}: {ok} of the {key} alternatives match"));
                }
            }
        }
        if let Some(e) = s.get("enum").and_then(Value::as_array) {
            if !e.contains(v) {
                errs.push(format!(
                    "{path}: {v} is not one of {}",
                    Value::from(e.clone())
                ));
            }
        }
        let ty = s.get("type").and_then(Value::as_str);
        let type_ok = match ty {
            None => true,
            Some("object") => v.is_object(),
            Some("array") => v.is_array(),
            Some("string") => v.is_string(),
            Some("integer") => v.is_i64() || v.is_u64(),
            Some("number") => v.is_number(),
            Some("boolean") => v.is_boolean(),
            Some(other) => panic!("unsupported type {other} at {path}"),
        };
        if !type_ok {
            errs.push(format!(
                "{path}: {} is not of type {}",
                short(v),
                ty.unwrap_or("")
            ));
            return;
        }
        if let (Some(f), Some(text)) = (s.get("format").and_then(Value::as_str), v.as_str()) {
            let ok = match f {
                "date-time" => is_date_time(text),
                "uuid" => is_uuid(text),
                _ => true,
            };
            if !ok {
                errs.push(format!("{path}: '{text}' is not a {f}"));
            }
        }
        if let (Some(items), Some(arr)) = (s.get("items"), v.as_array()) {
            for (i, item) in arr.iter().enumerate() {
                self.check(items, item, &format!("{path}[{i}]"), extra, errs, depth + 1);
            }
        }
        if let Some(obj) = v.as_object() {
            let props = s.get("properties").and_then(Value::as_object);
            for r in s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(r) = r.as_str() {
                    if !obj.contains_key(r) {
                        errs.push(format!("{path}: required property {r} missing"));
                    }
                }
            }
            let additional = s.get("additionalProperties");
            // A pure composition (allOf/oneOf/anyOf without properties) is checked by its parts.
            let composed = props.is_none()
                && (s.get("allOf").is_some()
                    || s.get("oneOf").is_some()
                    || s.get("anyOf").is_some());
            for (k, pv) in obj {
                match props.and_then(|p| p.get(k)) {
                    Some(ps) => self.check(ps, pv, &format!("{path}.{k}"), extra, errs, depth + 1),
                    None => match additional {
                        Some(Value::Bool(false)) => {
                            errs.push(format!("{path}: property {k} not allowed"))
                        }
                        Some(a @ Value::Object(_)) => {
                            self.check(a, pv, &format!("{path}.{k}"), extra, errs, depth + 1)
                        }
                        Some(_) => {}
                        None if composed || extra.contains(&k.as_str()) => {}
                        None => errs.push(format!("{path}: property {k} is not in the schema")),
                    },
                }
            }
        }
    }
}

/// RFC 3339 date-time, with the zone optional (VBA and .NET write zone-less values).
pub fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if !(b.len() >= 19
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && (b[10] == b'T' || b[10] == b't')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19))
    {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(f) = rest.strip_prefix('.') {
        let n = f.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &f[n..];
    }
    match rest {
        "" | "Z" | "z" => true,
        zone => {
            let z = zone.as_bytes();
            z.len() == 6
                && (z[0] == b'+' || z[0] == b'-')
                && z[1..3].iter().all(u8::is_ascii_digit)
                && z[3] == b':'
                && z[4..6].iter().all(u8::is_ascii_digit)
        }
    }
}

pub fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

fn short(v: &Value) -> String {
    truncate(&v.to_string())
}

fn truncate(s: &str) -> String {
    if s.len() <= 300 {
        return s.to_string();
    }
    let mut end = 300;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}
