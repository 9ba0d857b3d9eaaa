//! Account roles and credentials, and the registration form that both sides parse.

use crate::catalog::District;
use crate::error::{FieldError, FieldErrors, Locale, Violation};
use crate::identifiers::{CreditCode, Email, Phone};
use crate::text::{OrgName, PersonName};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Who a user acts as. Regulators cannot register themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 项目业主: buys intermediary services.
    Enterprise,
    /// 中介机构: sells them.
    Agency,
    /// 收费监管/发改: reviews listings and fee standards.
    Regulator,
    /// 审批人员: records the status of approval cases and the technical review of reports.
    ApprovalOfficer,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Enterprise,
        Role::Agency,
        Role::Regulator,
        Role::ApprovalOfficer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Enterprise => "enterprise",
            Role::Agency => "agency",
            Role::Regulator => "regulator",
            Role::ApprovalOfficer => "approval_officer",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == code)
    }

    pub fn self_registration_allowed(self) -> bool {
        matches!(self, Role::Enterprise | Role::Agency)
    }

    pub fn name(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::ZhCn, Role::Enterprise) => "项目业主",
            (Locale::ZhCn, Role::Agency) => "中介机构",
            (Locale::ZhCn, Role::Regulator) => "收费监管",
            (Locale::ZhCn, Role::ApprovalOfficer) => "审批人员",
            (Locale::En, Role::Enterprise) => "Project owner",
            (Locale::En, Role::Agency) => "Intermediary agency",
            (Locale::En, Role::Regulator) => "Fee regulator",
            (Locale::En, Role::ApprovalOfficer) => "Approval officer",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A login name: 3–32 of ASCII letters, digits, `_`, `.` and `-`, compared case-insensitively.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Username(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    #[error("用户名不能为空")]
    Empty,
    #[error("用户名长度应为 3–32 个字符")]
    WrongLength,
    #[error("用户名只能包含英文字母、数字、下划线、点和连字符,且以字母或数字开头")]
    InvalidCharacter,
}

crate::violation! {
    UsernameError,
    UsernameError::Empty => "username_empty", "A user name is required";
    UsernameError::WrongLength => "username_length", "User names have 3–32 characters";
    UsernameError::InvalidCharacter => "username_character",
        "Use letters, digits, _, . and -, starting with a letter or digit";
}

impl Username {
    pub fn parse(input: &str) -> Result<Username, UsernameError> {
        let name = input.trim().to_ascii_lowercase();
        if name.is_empty() {
            return Err(UsernameError::Empty);
        }
        if !(3..=32).contains(&name.chars().count()) {
            return Err(UsernameError::WrongLength);
        }
        let first_ok = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        let rest_ok = name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if !(first_ok && rest_ok) {
            return Err(UsernameError::InvalidCharacter);
        }
        Ok(Username(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password as typed: at least 8 characters, no composition rules (NIST SP 800-63B).
/// The upper bound keeps hashing cost bounded. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("密码至少 8 位")]
    TooShort,
    #[error("密码最多 128 位")]
    TooLong,
}

crate::violation! {
    PasswordError,
    PasswordError::TooShort => "password_too_short", "Use at least 8 characters";
    PasswordError::TooLong => "password_too_long", "Use at most 128 characters";
}

impl Password {
    pub fn parse(input: &str) -> Result<Password, PasswordError> {
        let length = input.chars().count();
        if length < PASSWORD_MIN_CHARS {
            Err(PasswordError::TooShort)
        } else if length > PASSWORD_MAX_CHARS {
            Err(PasswordError::TooLong)
        } else {
            Ok(Password(input.to_owned()))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RegistrationError {
    #[error("监管账号不能自行注册,请联系系统管理员开通")]
    RoleNotSelfService,
    #[error("中介机构注册时请选择所在区县")]
    DistrictRequired,
}

crate::violation! {
    RegistrationError,
    RegistrationError::RoleNotSelfService => "role_not_self_service",
        "Regulator accounts cannot be self-registered; ask the administrator";
    RegistrationError::DistrictRequired => "district_required",
        "Agencies must choose their district";
}

/// The registration form as sent over the wire: raw strings, parsed by [`RegisterRequest::parse`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRequest {
    #[cfg_attr(feature = "openapi", schema(pattern = "^(enterprise|agency)$"))]
    pub role: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 3,
            max_length = 32,
            pattern = "^[A-Za-z0-9][A-Za-z0-9_.-]*$"
        )
    )]
    pub username: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 128))]
    pub password: String,
    /// 单位名称: the enterprise's or agency's registered name.
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 100))]
    pub organization_name: String,
    pub credit_code: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 30))]
    pub contact_person: String,
    pub phone: String,
    pub email: String,
    /// Required for agencies: the district code of their office.
    #[serde(default)]
    pub district: Option<String>,
}

/// A registration whose every field has been parsed.
#[derive(Clone, Debug)]
pub struct Registration {
    pub role: Role,
    pub username: Username,
    pub password: Password,
    pub organization_name: OrgName,
    pub credit_code: CreditCode,
    pub contact_person: PersonName,
    pub phone: Phone,
    pub email: Email,
    pub district: Option<District>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("未知的选项")]
pub struct UnknownChoice;

impl Violation for UnknownChoice {
    fn code(&self) -> &'static str {
        "unknown_choice"
    }
    fn message(&self, locale: Locale) -> String {
        match locale {
            Locale::ZhCn => "请选择列表中的选项".into(),
            Locale::En => "Choose one of the listed options".into(),
        }
    }
}

impl RegisterRequest {
    /// Parses every field, reporting all violations at once so the form can mark each one.
    pub fn parse(&self) -> Result<Registration, Vec<FieldError>> {
        let mut errors = FieldErrors::new();
        let role = errors.check("role", Role::parse(&self.role).ok_or(UnknownChoice));
        let role = role.and_then(|role| {
            if role.self_registration_allowed() {
                Some(role)
            } else {
                errors.push("role", &RegistrationError::RoleNotSelfService);
                None
            }
        });
        let username = errors.check("username", Username::parse(&self.username));
        let password = errors.check("password", Password::parse(&self.password));
        let organization_name =
            errors.check("organization_name", OrgName::parse(&self.organization_name));
        let credit_code = errors.check("credit_code", CreditCode::parse(&self.credit_code));
        let contact_person =
            errors.check("contact_person", PersonName::parse(&self.contact_person));
        let phone = errors.check("phone", Phone::parse(&self.phone));
        let email = errors.check("email", Email::parse(&self.email));
        let district = match self.district.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) => errors.check("district", District::parse(code).ok_or(UnknownChoice)),
        };
        if role == Some(Role::Agency) && district.is_none() && errors.is_empty() {
            errors.push("district", &RegistrationError::DistrictRequired);
        }
        // Every field is parsed (so the user sees all errors at once) before any is required.
        let registration = (|| {
            Some(Registration {
                role: role?,
                username: username?,
                password: password?,
                organization_name: organization_name?,
                credit_code: credit_code?,
                contact_person: contact_person?,
                phone: phone?,
                email: email?,
                district,
            })
        })();
        errors.finish(registration)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid_request() -> RegisterRequest {
        RegisterRequest {
            role: "enterprise".into(),
            username: "Yunzhou_Steel".into(),
            password: "correct horse".into(),
            organization_name: "云州钢铁集团有限公司".into(),
            credit_code: "91350100M000100Y43".into(),
            contact_person: "王建国".into(),
            phone: "13800138000".into(),
            email: "wang@example.com".into(),
            district: None,
        }
    }

    #[test]
    fn a_complete_enterprise_registration_parses() {
        let registration = valid_request().parse().unwrap();
        assert_eq!(registration.role, Role::Enterprise);
        assert_eq!(registration.username.as_str(), "yunzhou_steel");
    }

    #[test]
    fn every_bad_field_is_reported_with_its_name() {
        let request = RegisterRequest {
            password: "short".into(),
            credit_code: "91350100M000100Y44".into(),
            email: "nope".into(),
            ..valid_request()
        };
        let errors = request.parse().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["password", "credit_code", "email"]);
        assert_eq!(errors[1].code, "credit_code_check_char");
    }

    #[test]
    fn regulators_cannot_register_themselves() {
        let request = RegisterRequest {
            role: "regulator".into(),
            ..valid_request()
        };
        let errors = request.parse().unwrap_err();
        assert_eq!(errors[0].field, "role");
        assert_eq!(errors[0].code, "role_not_self_service");
    }

    #[test]
    fn an_agency_must_name_its_district() {
        let request = RegisterRequest {
            role: "agency".into(),
            ..valid_request()
        };
        assert_eq!(request.parse().unwrap_err()[0].code, "district_required");
        let with_district = RegisterRequest {
            role: "agency".into(),
            district: Some(District::ALL[0].code().into()),
            ..valid_request()
        };
        assert!(with_district.parse().is_ok());
    }

    #[test]
    fn passwords_have_a_minimum_length_and_no_composition_rules() {
        assert!(Password::parse("aaaaaaaa").is_ok());
        assert!(Password::parse("密码密码密码密码").is_ok());
        assert_eq!(Password::parse("1234567"), Err(PasswordError::TooShort));
        assert_eq!(
            format!("{:?}", Password::parse("secret-secret").unwrap()),
            "Password(***)"
        );
    }

    #[test]
    fn user_names_are_lower_cased_and_restricted() {
        assert_eq!(Username::parse(" Admin.01 ").unwrap().as_str(), "admin.01");
        assert_eq!(Username::parse("ab"), Err(UsernameError::WrongLength));
        assert_eq!(
            Username::parse("_abc"),
            Err(UsernameError::InvalidCharacter)
        );
        assert_eq!(
            Username::parse("张三丰"),
            Err(UsernameError::InvalidCharacter)
        );
    }
}
