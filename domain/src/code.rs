//! Enums that are stored and sent as short ASCII codes, decoded strictly: a stored row that
//! holds a code this build does not know is an error, never a silent default.

/// An enum with a fixed list of variants, each with one stable code.
pub trait Code: Copy + Sized + 'static {
    /// The type's name in decoding errors.
    const TYPE: &'static str;
    /// Every variant, in declaration order.
    fn all() -> &'static [Self];
    fn code(self) -> &'static str;

    fn from_code(code: &str) -> Option<Self> {
        Self::all().iter().copied().find(|v| v.code() == code)
    }

    /// Like [`Code::from_code`], with an error that names the type and the code.
    fn decode(code: &str) -> Result<Self, UnknownCode> {
        Self::from_code(code).ok_or_else(|| UnknownCode {
            type_name: Self::TYPE,
            code: code.to_owned(),
        })
    }
}

/// A stored or received code that names no variant.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {type_name} code {code:?}")]
pub struct UnknownCode {
    pub type_name: &'static str,
    pub code: String,
}

/// Implements [`Code`] through the type's own `ALL` and `code`, and, with the `sqlite` feature,
/// rusqlite's `ToSql`/`FromSql` so that rows decode strictly.
macro_rules! impl_code {
    ($($ty:ty => $all:expr, $code:path);+ $(;)?) => {
        $(
            impl $crate::code::Code for $ty {
                const TYPE: &'static str = stringify!($ty);
                fn all() -> &'static [Self] {
                    &$all
                }
                fn code(self) -> &'static str {
                    $code(self)
                }
            }

            #[cfg(feature = "sqlite")]
            impl rusqlite::types::ToSql for $ty {
                fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                    Ok(rusqlite::types::ToSqlOutput::from($code(*self)))
                }
            }

            #[cfg(feature = "postgres")]
            impl postgres_types::ToSql for $ty {
                fn to_sql(
                    &self,
                    ty: &postgres_types::Type,
                    out: &mut bytes::BytesMut,
                ) -> Result<postgres_types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
                    $code(*self).to_sql(ty, out)
                }

                fn accepts(ty: &postgres_types::Type) -> bool {
                    <&str as postgres_types::ToSql>::accepts(ty)
                }

                postgres_types::to_sql_checked!();
            }

            #[cfg(feature = "postgres")]
            impl<'a> postgres_types::FromSql<'a> for $ty {
                fn from_sql(
                    ty: &postgres_types::Type,
                    raw: &'a [u8],
                ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
                    let text = <&str as postgres_types::FromSql>::from_sql(ty, raw)?;
                    Ok(<$ty as $crate::code::Code>::decode(text)?)
                }

                fn accepts(ty: &postgres_types::Type) -> bool {
                    <&str as postgres_types::FromSql>::accepts(ty)
                }
            }

            #[cfg(feature = "sqlite")]
            impl rusqlite::types::FromSql for $ty {
                fn column_result(
                    value: rusqlite::types::ValueRef<'_>,
                ) -> rusqlite::types::FromSqlResult<Self> {
                    let text = value.as_str()?;
                    <$ty as $crate::code::Code>::decode(text)
                        .map_err(|e| rusqlite::types::FromSqlError::Other(Box::new(e)))
                }
            }
        )+
    };
}

impl_code! {
    crate::job::JobState => crate::job::JobState::ALL, crate::job::JobState::code;
    crate::job::Actor => crate::job::Actor::ALL, crate::job::Actor::as_str;
    crate::job::JobEvent => crate::job::JobEvent::ALL, crate::job::JobEvent::code;
    crate::catalog::ServiceType => *crate::catalog::ServiceType::ALL, crate::catalog::ServiceType::code;
    crate::catalog::District => *crate::catalog::District::ALL, crate::catalog::District::code;
    crate::account::Role => crate::account::Role::ALL, crate::account::Role::as_str;
    crate::approval::CaseStatus => crate::approval::CaseStatus::ALL, crate::approval::CaseStatus::code;
    crate::complaint::ComplaintStatus => crate::complaint::ComplaintStatus::ALL, crate::complaint::ComplaintStatus::code;
    crate::complaint::ComplaintCategory => crate::complaint::ComplaintCategory::ALL, crate::complaint::ComplaintCategory::code;
    crate::listing::VersionStatus => crate::listing::VersionStatus::ALL, crate::listing::VersionStatus::code;
    crate::listing::ReviewDecision => crate::listing::ReviewDecision::ALL, crate::listing::ReviewDecision::code;
    crate::notify::NotificationKind => crate::notify::NotificationKind::ALL, crate::notify::NotificationKind::as_str;
    crate::wire::ListingStatus => crate::wire::ListingStatus::ALL, crate::wire::ListingStatus::as_str;
    crate::wire::BidStatus => crate::wire::BidStatus::ALL, crate::wire::BidStatus::code;
    crate::wire::ObjectionStatus => crate::wire::ObjectionStatus::ALL, crate::wire::ObjectionStatus::code;
    crate::fee::PricingBasis => crate::fee::PricingBasis::ALL, crate::fee::PricingBasis::code;
}

#[cfg(test)]
mod tests {
    use super::Code;
    use crate::job::{Actor, JobEvent, JobState};
    use crate::ServiceType;

    fn round_trips<T: Code + PartialEq + std::fmt::Debug>() {
        for &value in T::all() {
            assert_eq!(T::decode(value.code()), Ok(value));
        }
        let mut codes: Vec<_> = T::all().iter().map(|v| v.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), T::all().len(), "{} codes are unique", T::TYPE);
    }

    #[test]
    fn every_code_decodes_to_its_own_variant_and_codes_are_unique() {
        round_trips::<JobState>();
        round_trips::<Actor>();
        round_trips::<JobEvent>();
        round_trips::<ServiceType>();
        round_trips::<crate::District>();
        round_trips::<crate::Role>();
        round_trips::<crate::approval::CaseStatus>();
        round_trips::<crate::complaint::ComplaintStatus>();
        round_trips::<crate::complaint::ComplaintCategory>();
        round_trips::<crate::listing::VersionStatus>();
        round_trips::<crate::listing::ReviewDecision>();
        round_trips::<crate::notify::NotificationKind>();
        round_trips::<crate::wire::ListingStatus>();
        round_trips::<crate::wire::BidStatus>();
        round_trips::<crate::wire::ObjectionStatus>();
        round_trips::<crate::fee::PricingBasis>();
    }

    #[test]
    fn an_unknown_code_is_an_error_naming_the_type_not_a_default() {
        let error = JobState::decode("archived").unwrap_err();
        assert_eq!(error.code, "archived");
        assert!(error.to_string().contains("JobState"));
        assert!(Actor::decode("robot").is_err());
        assert!(JobEvent::decode("").is_err());
    }
}
