//! Components mounted in headless Chromium, asserted on the real DOM.
#![cfg(target_arch = "wasm32")]

use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use market_app::api::ApiError;
use market_app::components::{error_text, AgencyCard, Pagination, TextField};
use market_app::i18n::{self, messages, I18n, ZH_CN};
use market_domain::wire::AgencySummary;
use market_domain::{District, Locale, ServiceType};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let document = document();
    let section = document.create_element("section").unwrap();
    document.body().unwrap().append_child(&section).unwrap();
    section.unchecked_into()
}

fn texts(root: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .map(|i| nodes.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

fn sample_agency() -> AgencySummary {
    AgencySummary {
        id: 42,
        name: "云州恒信测绘地理信息有限公司".into(),
        credit_code: "91350100M000100Y43".into(),
        district: District::Wangjiang,
        service_types: vec![ServiceType::Surveying, ServiceType::GeohazardAssessment],
        qualification_count: 2,
        credit_score: 86,
        credit_grade: 'B',
        ratings: 12,
        average_hundredths: 462,
        quote: None,
    }
}

#[wasm_bindgen_test]
async fn the_agency_card_shows_name_district_and_services_and_follows_the_locale() {
    let root = container();
    let i18n = RwSignal::new(None::<I18n>);
    let _handle = mount_to(root.clone(), move || {
        let ctx = I18n::from_storage();
        ctx.set(Locale::ZhCn);
        provide_context(ctx);
        i18n.set(Some(ctx));
        view! { <AgencyCard agency=sample_agency() /> }
    });
    tick().await;

    let link = root
        .query_selector("h2.agency-card__name a")
        .unwrap()
        .unwrap();
    assert_eq!(link.text_content().unwrap(), "云州恒信测绘地理信息有限公司");
    assert_eq!(link.get_attribute("href").unwrap(), "/agencies/42");
    assert!(root.text_content().unwrap().contains("望江区"));
    assert_eq!(
        texts(&root, ".badge--service"),
        ["测绘", "地质灾害危险性评估"]
    );
    assert_eq!(texts(&root, ".agency-card__credit--b"), ["信用分 86(B)"]);
    assert_eq!(
        texts(&root, ".agency-card__rating"),
        ["评价 4.62 星(12 条)"]
    );

    i18n.get_untracked()
        .unwrap()
        .choose(Locale::En)
        .await
        .unwrap();
    tick().await;
    assert!(root.text_content().unwrap().contains("Wangjiang District"));
    assert_eq!(texts(&root, ".agency-card__credit"), ["Credit 86 (B)"]);
    assert_eq!(
        texts(&root, ".badge--service"),
        ["Surveying and mapping", "Geological hazard assessment"]
    );
    i18n.get_untracked()
        .unwrap()
        .choose(Locale::ZhCn)
        .await
        .unwrap();
}

#[wasm_bindgen_test]
async fn pagination_links_to_neighbouring_pages_and_disables_the_ends() {
    let root = container();
    let _handle = mount_to(root.clone(), || {
        provide_context(I18n::from_storage());
        view! { <Pagination page=1 page_count=4 href=|p| format!("/?page={p}") /> }
    });
    tick().await;
    let next = root.query_selector("a[rel=next]").unwrap().unwrap();
    assert_eq!(next.get_attribute("href").unwrap(), "/?page=2");
    assert!(root.query_selector("a[rel=prev]").unwrap().is_none());
    let disabled = root
        .query_selector("[aria-disabled=true]")
        .unwrap()
        .unwrap();
    assert_eq!(disabled.text_content().unwrap(), "上一页");
    assert_eq!(texts(&root, ".pagination__position"), ["第 1 / 4 页"]);
}

#[wasm_bindgen_test]
async fn a_text_field_shows_its_error_in_place_of_the_hint() {
    let root = container();
    let error = RwSignal::new(None::<String>);
    let _handle = mount_to(root.clone(), move || {
        view! {
            <TextField
                name="credit_code"
                label=Signal::derive(|| "统一社会信用代码".to_owned())
                value=RwSignal::new(String::new())
                error=error
                hint=Signal::derive(|| "18 位".to_owned())
            />
        }
    });
    tick().await;
    let input = root.query_selector("input").unwrap().unwrap();
    assert_eq!(input.get_attribute("aria-invalid").unwrap(), "false");
    assert_eq!(texts(&root, ".field__hint"), ["18 位"]);
    let label = root.query_selector("label").unwrap().unwrap();
    assert_eq!(label.get_attribute("for").unwrap(), input.id());

    error.set(Some("统一社会信用代码校验位不正确".into()));
    tick().await;
    assert_eq!(input.get_attribute("aria-invalid").unwrap(), "true");
    assert_eq!(
        texts(&root, ".field__error"),
        ["统一社会信用代码校验位不正确"]
    );
    assert!(root.query_selector(".field__hint").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn known_error_codes_get_catalogue_text_and_others_the_servers_message() {
    i18n::load(Locale::En).await.unwrap();
    let en = messages(Locale::En);
    assert_eq!(en.product_name, "Intermediary Services Marketplace");
    let network = ApiError::network("TypeError: Failed to fetch");
    assert_eq!(
        error_text(&network, &ZH_CN, Locale::ZhCn),
        ZH_CN.error_network
    );
    assert_eq!(error_text(&network, en, Locale::En), en.error_network);
    let locked = ApiError {
        status: 429,
        code: "too_many_attempts".into(),
        message: "登录失败次数过多,请 15 分钟后再试".into(),
        message_en: "Too many failed sign-ins; try again in 15 min".into(),
        field: None,
        fields: Vec::new(),
    };
    assert_eq!(
        error_text(&locked, &ZH_CN, Locale::ZhCn),
        "登录失败次数过多,请 15 分钟后再试"
    );
    // An English reader gets the server's English, never its Chinese.
    assert_eq!(
        error_text(&locked, en, Locale::En),
        "Too many failed sign-ins; try again in 15 min"
    );
}
