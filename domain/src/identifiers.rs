//! Identifiers that arrive as free text: credit codes, project codes, phones and e-mails.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Characters allowed in a unified social credit code (GB 32100-2015): digits and
/// upper-case letters without I, O, S, V and Z. The index of a character is its value.
const CREDIT_CODE_CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights of positions 1–17: 3^(i) mod 31.
const CREDIT_CODE_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// 统一社会信用代码: 18 characters whose last one is a check character (GB 32100-2015).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("统一社会信用代码不能为空")]
    Empty,
    #[error("统一社会信用代码应为 18 位,当前为 {0} 位")]
    WrongLength(usize),
    #[error("统一社会信用代码第 {position} 位的字符“{found}”不允许")]
    InvalidCharacter { position: usize, found: char },
    #[error("统一社会信用代码第 3–8 位应为行政区划代码(数字)")]
    InvalidDivisionCode,
    #[error("统一社会信用代码校验位不正确,请核对后重新输入")]
    WrongCheckCharacter,
}

crate::violation! {
    CreditCodeError,
    CreditCodeError::Empty => "credit_code_empty", "The unified social credit code is required";
    CreditCodeError::WrongLength(n) => "credit_code_length",
        format!("A unified social credit code has 18 characters, not {n}");
    CreditCodeError::InvalidCharacter { position, found } => "credit_code_character",
        format!("Character {position} (“{found}”) is not allowed in a credit code");
    CreditCodeError::InvalidDivisionCode => "credit_code_division",
        "Characters 3–8 must be an administrative division code (digits)";
    CreditCodeError::WrongCheckCharacter => "credit_code_check_char",
        "The check character does not match; please check the code";
}

fn credit_char_value(c: char) -> Option<u32> {
    CREDIT_CODE_CHARSET
        .iter()
        .position(|&b| b as char == c)
        .map(|i| i as u32)
}

impl CreditCode {
    /// Accepts surrounding spaces and lower case, as people type them.
    pub fn parse(input: &str) -> Result<CreditCode, CreditCodeError> {
        let code: String = input.trim().to_uppercase();
        if code.is_empty() {
            return Err(CreditCodeError::Empty);
        }
        let chars: Vec<char> = code.chars().collect();
        if chars.len() != 18 {
            return Err(CreditCodeError::WrongLength(chars.len()));
        }
        for (i, &c) in chars.iter().enumerate() {
            if credit_char_value(c).is_none() {
                return Err(CreditCodeError::InvalidCharacter {
                    position: i + 1,
                    found: c,
                });
            }
        }
        if !chars[2..8].iter().all(|c| c.is_ascii_digit()) {
            return Err(CreditCodeError::InvalidDivisionCode);
        }
        let expected = Self::check_character(&code[..17]).ok_or(CreditCodeError::Empty)?;
        if chars[17] != expected {
            return Err(CreditCodeError::WrongCheckCharacter);
        }
        Ok(CreditCode(code))
    }

    /// The check character for the first 17 characters, or `None` if any is not allowed.
    pub fn check_character(first17: &str) -> Option<char> {
        let mut sum = 0u32;
        let mut count = 0;
        for (c, weight) in first17.chars().zip(CREDIT_CODE_WEIGHTS) {
            sum += credit_char_value(c)? * weight;
            count += 1;
        }
        if count != 17 || first17.chars().count() != 17 {
            return None;
        }
        let check = (31 - sum % 31) % 31;
        Some(CREDIT_CODE_CHARSET[check as usize] as char)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 登记管理部门代码 + 机构类别代码, e.g. "91" for an enterprise registered by market regulation.
    pub fn registration_category(&self) -> &str {
        &self.0[..2]
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        CreditCode::parse(&value)
    }
}

impl From<CreditCode> for String {
    fn from(code: CreditCode) -> String {
        code.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// 投资项目代码 (GB/T 40058-2021): 24 characters, `YYYY-DDDDDD-II-TT-NNNNNN`: year, administrative
/// division, industry, type (01 审批, 02 核准, 03 备案) and serial number. The code has no check
/// character, so only the format is checked. 20 bare digits are accepted and hyphenated.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct ProjectCode(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProjectCodeError {
    #[error("项目代码不能为空")]
    Empty,
    #[error("项目代码格式应为 24 位:年份-行政区划-行业-类型-流水号,例如 2026-539901-48-01-000123")]
    WrongFormat,
    #[error("项目代码中的赋码年份不合理")]
    InvalidYear,
    #[error("项目代码的类型码应为 01(审批)、02(核准)或 03(备案)")]
    InvalidTypeCode,
}

crate::violation! {
    ProjectCodeError,
    ProjectCodeError::Empty => "project_code_empty", "The project code is required";
    ProjectCodeError::WrongFormat => "project_code_format",
        "A project code has 24 characters: year-division-industry-type-serial, e.g. 2026-539901-48-01-000123";
    ProjectCodeError::InvalidYear => "project_code_year",
        "The year in the project code is implausible";
    ProjectCodeError::InvalidTypeCode => "project_code_type",
        "The type code must be 01 (approval), 02 (authorisation) or 03 (filing)";
}

impl ProjectCode {
    pub fn parse(input: &str) -> Result<ProjectCode, ProjectCodeError> {
        let raw: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if raw.is_empty() {
            return Err(ProjectCodeError::Empty);
        }
        let canonical = if raw.len() == 20 && raw.bytes().all(|b| b.is_ascii_digit()) {
            format!(
                "{}-{}-{}-{}-{}",
                &raw[0..4],
                &raw[4..10],
                &raw[10..12],
                &raw[12..14],
                &raw[14..20]
            )
        } else {
            raw
        };
        let bytes = canonical.as_bytes();
        let hyphens_in_place = bytes.len() == 24
            && bytes.iter().enumerate().all(|(i, b)| match i {
                4 | 11 | 14 | 17 => *b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !hyphens_in_place {
            return Err(ProjectCodeError::WrongFormat);
        }
        let year: u32 = canonical[0..4]
            .parse()
            .map_err(|_| ProjectCodeError::WrongFormat)?;
        if !(2014..=2099).contains(&year) {
            return Err(ProjectCodeError::InvalidYear);
        }
        if !matches!(&canonical[15..17], "01" | "02" | "03") {
            return Err(ProjectCodeError::InvalidTypeCode);
        }
        Ok(ProjectCode(canonical))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn year(&self) -> u32 {
        self.0[0..4].parse().expect("checked by parse")
    }
}

impl TryFrom<String> for ProjectCode {
    type Error = ProjectCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        ProjectCode::parse(&value)
    }
}

impl From<ProjectCode> for String {
    fn from(code: ProjectCode) -> String {
        code.0
    }
}

impl fmt::Display for ProjectCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A mainland mobile number (11 digits) or a landline with area code, e.g. `0871-65123456`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("联系电话不能为空")]
    Empty,
    #[error("请输入 11 位手机号码,或带区号的固定电话(如 0871-65123456)")]
    WrongFormat,
}

crate::violation! {
    PhoneError,
    PhoneError::Empty => "phone_empty", "A phone number is required";
    PhoneError::WrongFormat => "phone_format",
        "Enter an 11-digit mobile number or a landline with its area code (e.g. 0871-65123456)";
}

impl Phone {
    pub fn parse(input: &str) -> Result<Phone, PhoneError> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .trim_start_matches("+86")
            .to_owned();
        if compact.is_empty() {
            return Err(PhoneError::Empty);
        }
        let digits_only = compact.bytes().all(|b| b.is_ascii_digit());
        let is_mobile = digits_only
            && compact.len() == 11
            && compact.starts_with('1')
            && (b'3'..=b'9').contains(&compact.as_bytes()[1]);
        if is_mobile {
            return Ok(Phone(compact));
        }
        // Landline: 0 + 2–3 digit area code, optional hyphen, 7–8 digit number, optional extension.
        let (main, extension) = match compact.split_once(['转', '#']) {
            Some((main, ext)) => (main, Some(ext)),
            None => (compact.as_str(), None),
        };
        let extension_ok = extension
            .is_none_or(|e| (1..=6).contains(&e.len()) && e.bytes().all(|b| b.is_ascii_digit()));
        let landline_ok = match main.split_once('-') {
            Some((area, number)) => {
                area.starts_with('0')
                    && (3..=4).contains(&area.len())
                    && (7..=8).contains(&number.len())
                    && area
                        .bytes()
                        .chain(number.bytes())
                        .all(|b| b.is_ascii_digit())
            }
            None => {
                main.starts_with('0')
                    && (10..=12).contains(&main.len())
                    && main.bytes().all(|b| b.is_ascii_digit())
            }
        };
        if landline_ok && extension_ok {
            Ok(Phone(compact))
        } else {
            Err(PhoneError::WrongFormat)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Phone {
    type Error = PhoneError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Phone::parse(&value)
    }
}

impl From<Phone> for String {
    fn from(phone: Phone) -> String {
        phone.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An e-mail address, checked for shape only; delivery is the only real proof.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("电子邮箱不能为空")]
    Empty,
    #[error("电子邮箱格式不正确,例如 name@example.com")]
    WrongFormat,
}

crate::violation! {
    EmailError,
    EmailError::Empty => "email_empty", "An e-mail address is required";
    EmailError::WrongFormat => "email_format",
        "The e-mail address is not valid, e.g. name@example.com";
}

impl Email {
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let email = input.trim();
        if email.is_empty() {
            return Err(EmailError::Empty);
        }
        let (local, domain) = email.split_once('@').ok_or(EmailError::WrongFormat)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.chars().any(|c| c.is_whitespace() || c == '@');
        if !(domain_ok && local_ok && email.len() <= 254) {
            return Err(EmailError::WrongFormat);
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> String {
        email.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests;
