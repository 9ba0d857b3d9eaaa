//! Fixed catalogues: intermediary service types and the districts of the city.

use crate::error::Locale;
use serde::{Deserialize, Serialize};

macro_rules! catalogue {
    (
        $(#[$meta:meta])*
        $name:ident { $( $variant:ident => ($code:literal, $zh:literal, $en:literal) ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $( #[serde(rename = $code)] $variant, )+
        }

        // Written by hand: utoipa's derive does not see `rename = $code` through the macro and
        // would document the Rust variant names instead of the codes on the wire.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                use utoipa::openapi::schema::{ObjectBuilder, Type};
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some([$( $code, )+]))
                    .description(Some(concat!($( $code, ": ", $zh, "; ", )+)))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl $name {
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )+ ];

            /// Stable code used in URLs, the API and the database.
            pub fn code(self) -> &'static str {
                match self { $( $name::$variant => $code, )+ }
            }

            pub fn parse(code: &str) -> Option<$name> {
                match code { $( $code => Some($name::$variant), )+ _ => None }
            }

            pub fn name(self, locale: Locale) -> &'static str {
                match (locale, self) {
                    $( (Locale::ZhCn, $name::$variant) => $zh, )+
                    $( (Locale::En, $name::$variant) => $en, )+
                }
            }
        }
    };
}

catalogue! {
    /// Intermediary services that administrative approvals commonly require.
    ServiceType {
        EnvironmentalImpact => ("env_impact", "环境影响评价", "Environmental impact assessment"),
        SafetyAssessment => ("safety", "安全评价", "Safety assessment"),
        EnergyReview => ("energy", "节能评估", "Energy conservation review"),
        SoilWaterConservation => ("soil_water", "水土保持方案编制", "Soil and water conservation plan"),
        GeohazardAssessment => ("geohazard", "地质灾害危险性评估", "Geological hazard assessment"),
        Surveying => ("surveying", "测绘", "Surveying and mapping"),
        CostConsulting => ("cost", "工程造价咨询", "Construction cost consulting"),
        DrawingReview => ("drawing_review", "施工图审查", "Construction drawing review"),
        PlanningDesign => ("planning", "建设项目规划设计", "Project planning and design"),
        AssetValuation => ("asset_valuation", "资产评估", "Asset valuation"),
        LandValuation => ("land_valuation", "土地评估", "Land valuation"),
        RealEstateAppraisal => ("real_estate", "房地产估价", "Real estate appraisal"),
        SeismicSafety => ("seismic", "地震安全性评价", "Seismic safety evaluation"),
        LightningProtection => ("lightning", "防雷装置检测", "Lightning protection inspection"),
        HeritageImpact => ("heritage", "文物影响评估", "Cultural heritage impact assessment"),
        FeasibilityStudy => ("feasibility", "可行性研究报告编制", "Feasibility study report"),
        SocialStabilityRisk => ("social_risk", "社会稳定风险评估", "Social stability risk assessment"),
        FloodImpact => ("flood", "洪水影响评价", "Flood impact assessment"),
    }
}

catalogue! {
    /// Districts of 云州市, the fictional city this deployment serves.
    District {
        Yunhu => ("yunhu", "云湖区", "Yunhu District"),
        Wangjiang => ("wangjiang", "望江区", "Wangjiang District"),
        Qingshan => ("qingshan", "青山区", "Qingshan District"),
        Lingang => ("lingang", "临港区", "Lingang District"),
        HighTech => ("hightech", "云州高新区", "Yunzhou High-tech Zone"),
        Dongchuan => ("dongchuan", "东川县", "Dongchuan County"),
        Xiling => ("xiling", "西岭县", "Xiling County"),
        Nanxi => ("nanxi", "南溪市", "Nanxi City"),
    }
}

impl District {
    /// Six-digit administrative division code (fictional prefix 5399, unused by any real city).
    pub fn division_code(self) -> &'static str {
        match self {
            District::Yunhu => "539902",
            District::Wangjiang => "539903",
            District::Qingshan => "539904",
            District::Lingang => "539905",
            District::HighTech => "539971",
            District::Dongchuan => "539921",
            District::Xiling => "539922",
            District::Nanxi => "539981",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_service_catalogue_has_at_least_fifteen_types_with_unique_codes() {
        assert!(ServiceType::ALL.len() >= 15);
        let codes: HashSet<_> = ServiceType::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(codes.len(), ServiceType::ALL.len());
    }

    #[test]
    fn every_code_parses_back_to_its_entry() {
        for &service in ServiceType::ALL {
            assert_eq!(ServiceType::parse(service.code()), Some(service));
            assert!(!service.name(Locale::ZhCn).is_empty());
            assert!(!service.name(Locale::En).is_empty());
        }
        for &district in District::ALL {
            assert_eq!(District::parse(district.code()), Some(district));
            assert_eq!(district.division_code().len(), 6);
        }
        assert_eq!(ServiceType::parse("unknown"), None);
    }

    #[test]
    fn catalogue_entries_serialise_as_their_code() {
        let json = serde_json::to_string(&ServiceType::EnvironmentalImpact).unwrap();
        assert_eq!(json, "\"env_impact\"");
    }
}

#[cfg(all(test, feature = "openapi"))]
mod openapi_tests {
    use super::*;

    #[test]
    fn the_documented_values_are_the_codes_on_the_wire() {
        let schema =
            serde_json::to_value(<ServiceType as utoipa::PartialSchema>::schema()).unwrap();
        let documented: Vec<&str> = schema["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let wire: Vec<String> = ServiceType::ALL
            .iter()
            .map(|s| {
                serde_json::to_value(s)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(documented, wire);
        assert!(documented.contains(&"env_impact"));
        let districts =
            serde_json::to_value(<District as utoipa::PartialSchema>::schema()).unwrap();
        assert!(districts["enum"]
            .as_array()
            .unwrap()
            .contains(&"dongchuan".into()));
    }
}
