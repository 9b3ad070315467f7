//! A member's contact details, as the Members API's `contact`.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A member's contact details, as in the Members API's `contact` (lists are read and written
/// whole).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Contact {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub job_title: Option<String>,
    /// `YYYY-MM-DD`.
    pub birthdate: Option<String>,
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub addresses: Vec<Address>,
}

impl Contact {
    /// "First Last", or whichever of the two there is.
    pub fn full_name(&self) -> Option<String> {
        let parts: Vec<&str> = [&self.first_name, &self.last_name].into_iter().flatten().map(String::as_str).collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

/// A postal address (the Members API's `Address`, with `addressLine` rather than a street
/// number and name).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Address {
    pub id: Uuid,
    pub address_line: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    /// ISO 3166-2, e.g. `US-NY`.
    pub subdivision: Option<String>,
    /// ISO 3166-1 alpha-2, e.g. `US`.
    pub country: Option<String>,
    pub postal_code: Option<String>,
}
