//! The one error type of the crate.
//!
//! Every failure is a value: bad input is reported with the argument it came from and, where it
//! applies, the index of the first bad value, so a caller can point at it. Bindings forward the
//! error as the JSON produced by [`Error::to_json`], which keeps their mapping to one function.

use std::fmt;

/// What went wrong, in the categories the JavaScript API exposes as `MongeError.code`.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// An argument is malformed: empty, out of range, zero total mass, unknown name.
    InvalidInput,
    /// Two arguments have incompatible lengths or dimensions.
    ShapeMismatch,
    /// A NaN or infinite value where only finite numbers make sense.
    NonFinite,
    /// A weight below zero.
    NegativeWeight,
    /// The total masses of two measures differ where they must agree.
    MassMismatch,
    /// An output too large to allocate.
    TooLarge,
    /// The caller stopped the solve (see [`crate::Control`]).
    Aborted,
}

impl ErrorKind {
    /// The stable code of this kind (`"INVALID_INPUT"`, ...), shared with the JavaScript API.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "INVALID_INPUT",
            ErrorKind::ShapeMismatch => "SHAPE_MISMATCH",
            ErrorKind::NonFinite => "NON_FINITE",
            ErrorKind::NegativeWeight => "NEGATIVE_WEIGHT",
            ErrorKind::MassMismatch => "MASS_MISMATCH",
            ErrorKind::TooLarge => "TOO_LARGE",
            ErrorKind::Aborted => "ABORTED",
        }
    }
}

/// A value attached to an error, under a name (`"argument"`, `"index"`, ...).
#[derive(Clone, Debug, PartialEq)]
pub enum Detail {
    /// A name or a word.
    Text(String),
    /// A count or an index.
    Count(usize),
    /// A measured value.
    Number(f64),
    /// A shape such as `[rows, cols]`.
    Shape(Vec<usize>),
}

/// An error from a monge solver: a kind, a message naming the argument and the fix, and details.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    details: Vec<(&'static str, Detail)>,
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A new error of `kind` with a message; add details with [`Error::with`].
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into(), details: Vec::new() }
    }

    /// The error with one more detail.
    pub fn with(mut self, name: &'static str, value: Detail) -> Self {
        self.details.push((name, value));
        self
    }

    /// An error about the argument `argument`, recorded in the details.
    pub fn about(kind: ErrorKind, argument: &str, message: impl Into<String>) -> Self {
        Error::new(kind, message).with("argument", Detail::Text(argument.to_string()))
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The human-readable message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The named details (argument, index, shapes, masses).
    pub fn details(&self) -> &[(&'static str, Detail)] {
        &self.details
    }

    /// The error as one JSON object `{"code", "message", "details"}`: the wire format the
    /// bindings hand to JavaScript, where it becomes a `MongeError`.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"code\":");
        push_json_string(&mut out, self.kind.code());
        out.push_str(",\"message\":");
        push_json_string(&mut out, &self.message);
        out.push_str(",\"details\":{");
        for (k, (name, value)) in self.details.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            push_json_string(&mut out, name);
            out.push(':');
            match value {
                Detail::Text(s) => push_json_string(&mut out, s),
                Detail::Count(c) => out.push_str(&c.to_string()),
                Detail::Number(x) if x.is_finite() => out.push_str(&format!("{x:?}")),
                // JSON has no NaN or Infinity: keep the value readable as a string.
                Detail::Number(x) => push_json_string(&mut out, &x.to_string()),
                Detail::Shape(dims) => {
                    out.push('[');
                    let parts: Vec<String> = dims.iter().map(|d| d.to_string()).collect();
                    out.push_str(&parts.join(","));
                    out.push(']');
                }
            }
        }
        out.push_str("}}");
        out
    }
}

fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.code(), self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_carries_code_message_and_details() {
        let e = Error::about(ErrorKind::NonFinite, "a", "a[3] is \"NaN\"")
            .with("index", Detail::Count(3))
            .with("value", Detail::Number(f64::NAN))
            .with("shape", Detail::Shape(vec![2, 3]));
        assert_eq!(
            e.to_json(),
            r#"{"code":"NON_FINITE","message":"a[3] is \"NaN\"","details":{"argument":"a","index":3,"value":"NaN","shape":[2,3]}}"#
        );
        assert_eq!(e.to_string(), "NON_FINITE: a[3] is \"NaN\"");
    }
}
