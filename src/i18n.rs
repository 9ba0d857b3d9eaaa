//! The UI's message catalogue: one typed table per locale, so a missing translation does not
//! compile. The chosen locale lives in a signal and in localStorage.

use leptos::prelude::*;
use market_domain::{format, CalendarDate, Locale, Money};

const STORAGE_KEY: &str = "market.locale";

/// Every piece of UI text. Field names say where the text is used.
pub struct Messages {
    pub product_name: &'static str,
    pub product_tagline: &'static str,
    pub city_portal: &'static str,
    pub nav_directory: &'static str,
    pub nav_login: &'static str,
    pub nav_register: &'static str,
    pub nav_account: &'static str,
    pub nav_logout: &'static str,
    pub language_label: &'static str,
    pub skip_to_content: &'static str,

    pub directory_title: &'static str,
    pub directory_intro: &'static str,
    pub filter_service_type: &'static str,
    pub filter_district: &'static str,
    pub filter_all: &'static str,
    pub filter_search: &'static str,
    pub filter_search_placeholder: &'static str,
    pub filter_submit: &'static str,
    pub filter_reset: &'static str,
    pub results_count: &'static str,
    pub results_empty: &'static str,
    pub card_qualifications: &'static str,
    pub card_view: &'static str,

    pub pagination_label: &'static str,
    pub pagination_previous: &'static str,
    pub pagination_next: &'static str,
    pub pagination_page: &'static str,

    pub agency_back: &'static str,
    pub agency_credit_code: &'static str,
    pub agency_district: &'static str,
    pub agency_address: &'static str,
    pub agency_legal_representative: &'static str,
    pub agency_contact_person: &'static str,
    pub agency_phone: &'static str,
    pub agency_email: &'static str,
    pub agency_staff: &'static str,
    pub agency_listed_since: &'static str,
    pub agency_services: &'static str,
    pub agency_profile: &'static str,
    pub agency_contacts: &'static str,
    pub agency_qualifications: &'static str,
    pub qualification_name: &'static str,
    pub qualification_number: &'static str,
    pub qualification_level: &'static str,
    pub qualification_authority: &'static str,
    pub qualification_validity: &'static str,
    pub qualification_covers: &'static str,
    pub qualification_none: &'static str,
    pub people_unit: &'static str,

    pub login_title: &'static str,
    pub login_submit: &'static str,
    pub login_no_account: &'static str,
    pub field_username: &'static str,
    pub field_password: &'static str,
    pub field_username_hint: &'static str,
    pub field_password_hint: &'static str,

    pub register_title: &'static str,
    pub register_intro: &'static str,
    pub register_role: &'static str,
    pub register_role_enterprise: &'static str,
    pub register_role_enterprise_hint: &'static str,
    pub register_role_agency: &'static str,
    pub register_role_agency_hint: &'static str,
    pub register_regulator_note: &'static str,
    pub field_organization_name: &'static str,
    pub field_credit_code: &'static str,
    pub field_credit_code_hint: &'static str,
    pub field_contact_person: &'static str,
    pub field_phone: &'static str,
    pub field_email: &'static str,
    pub field_district: &'static str,
    pub field_choose: &'static str,
    pub register_submit: &'static str,
    pub register_have_account: &'static str,
    pub form_fix_errors: &'static str,
    pub submitting: &'static str,

    pub account_title: &'static str,
    pub account_role: &'static str,
    pub account_organization: &'static str,
    pub account_since: &'static str,
    pub account_listing: &'static str,
    pub account_listing_pending_note: &'static str,
    pub account_listing_approved_note: &'static str,
    pub account_view_listing: &'static str,
    pub account_regulator_note: &'static str,
    pub account_enterprise_note: &'static str,

    pub error_title: &'static str,
    pub error_retry: &'static str,
    pub error_network: &'static str,
    pub error_not_found: &'static str,
    pub error_not_authenticated: &'static str,
    pub error_server: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_home: &'static str,
    pub loading: &'static str,
    pub footer_note: &'static str,
}

pub static ZH_CN: Messages = Messages {
    product_name: "中介服务网上超市",
    product_tagline: "阳光采购 · 明码标价 · 全程留痕",
    city_portal: "云州市政务服务网",
    nav_directory: "中介机构名录",
    nav_login: "登录",
    nav_register: "注册",
    nav_account: "我的账户",
    nav_logout: "退出登录",
    language_label: "语言",
    skip_to_content: "跳到正文",

    directory_title: "中介机构名录",
    directory_intro: "以下机构均已通过收费监管部门审核入驻。项目业主可按服务类型和区县查找机构,查看资质与联系方式。",
    filter_service_type: "服务类型",
    filter_district: "所在区县",
    filter_all: "全部",
    filter_search: "机构名称",
    filter_search_placeholder: "输入机构名称关键词",
    filter_submit: "查询",
    filter_reset: "清除条件",
    results_count: "共 {n} 家机构",
    results_empty: "没有符合条件的机构,请调整筛选条件。",
    card_qualifications: "项资质",
    card_view: "查看详情",

    pagination_label: "分页",
    pagination_previous: "上一页",
    pagination_next: "下一页",
    pagination_page: "第 {p} / {n} 页",

    agency_back: "返回名录",
    agency_credit_code: "统一社会信用代码",
    agency_district: "所在区县",
    agency_address: "办公地址",
    agency_legal_representative: "法定代表人",
    agency_contact_person: "联系人",
    agency_phone: "联系电话",
    agency_email: "电子邮箱",
    agency_staff: "专业技术人员",
    agency_listed_since: "入驻日期",
    agency_services: "服务类型",
    agency_profile: "机构简介",
    agency_contacts: "联系方式",
    agency_qualifications: "资质证书",
    qualification_name: "证书名称",
    qualification_number: "证书编号",
    qualification_level: "等级",
    qualification_authority: "发证机关",
    qualification_validity: "有效期",
    qualification_covers: "适用服务",
    qualification_none: "暂无资质信息。",
    people_unit: "人",

    login_title: "登录",
    login_submit: "登录",
    login_no_account: "还没有账号?立即注册",
    field_username: "用户名",
    field_password: "密码",
    field_username_hint: "3–32 位英文字母、数字、下划线、点或连字符",
    field_password_hint: "至少 8 位,不限字符种类",

    register_title: "注册账号",
    register_intro: "项目业主注册后可发布中介服务采购需求;中介机构注册后需提交收费监管部门审核,审核通过后方可在名录中展示。",
    register_role: "注册身份",
    register_role_enterprise: "项目业主",
    register_role_enterprise_hint: "需要购买中介服务的企业或单位",
    register_role_agency: "中介机构",
    register_role_agency_hint: "提供评估、评价、测绘等中介服务的机构",
    register_regulator_note: "监管部门账号由系统管理员开通,不能自行注册。",
    field_organization_name: "单位名称",
    field_credit_code: "统一社会信用代码",
    field_credit_code_hint: "18 位,见营业执照",
    field_contact_person: "联系人",
    field_phone: "联系电话",
    field_email: "电子邮箱",
    field_district: "所在区县",
    field_choose: "请选择",
    register_submit: "注册",
    register_have_account: "已有账号?去登录",
    form_fix_errors: "请先修正标红的内容。",
    submitting: "正在提交…",

    account_title: "我的账户",
    account_role: "账号身份",
    account_organization: "单位名称",
    account_since: "注册时间",
    account_listing: "入驻状态",
    account_listing_pending_note: "您的机构入驻申请已提交,正在等待收费监管部门审核。审核通过后,机构将出现在公开名录中。",
    account_listing_approved_note: "您的机构已通过审核,正在公开名录中展示。",
    account_view_listing: "查看公开页面",
    account_regulator_note: "您是收费监管部门账号,可审核机构入驻申请与收费标准。",
    account_enterprise_note: "您可以在名录中查找具备资质的中介机构。",

    error_title: "出错了",
    error_retry: "重试",
    error_network: "无法连接服务器,请检查网络后重试。",
    error_not_found: "请求的内容不存在或已下线。",
    error_not_authenticated: "登录已失效,请重新登录。",
    error_server: "服务器暂时无法处理请求,请稍后重试。",
    not_found_title: "页面不存在",
    not_found_body: "您访问的页面不存在,可能已被移除或地址有误。",
    back_home: "返回首页",
    loading: "正在加载…",
    footer_note: "云州市发展和改革委员会 · 云州市市场监督管理局 监制",
};

pub static EN: Messages = Messages {
    product_name: "Intermediary Services Marketplace",
    product_tagline: "Open procurement · Published fees · Full audit trail",
    city_portal: "Yunzhou Government Services",
    nav_directory: "Agency directory",
    nav_login: "Log in",
    nav_register: "Register",
    nav_account: "My account",
    nav_logout: "Log out",
    language_label: "Language",
    skip_to_content: "Skip to content",

    directory_title: "Agency directory",
    directory_intro: "Every agency listed here has been reviewed by the fee regulator. Project owners can search by service type and district, and see qualifications and contacts.",
    filter_service_type: "Service type",
    filter_district: "District",
    filter_all: "All",
    filter_search: "Agency name",
    filter_search_placeholder: "Words from the agency's name",
    filter_submit: "Search",
    filter_reset: "Clear filters",
    results_count: "{n} agencies",
    results_empty: "No agency matches these filters. Try changing them.",
    card_qualifications: "qualifications",
    card_view: "View details",

    pagination_label: "Pagination",
    pagination_previous: "Previous",
    pagination_next: "Next",
    pagination_page: "Page {p} of {n}",

    agency_back: "Back to the directory",
    agency_credit_code: "Unified social credit code",
    agency_district: "District",
    agency_address: "Office address",
    agency_legal_representative: "Legal representative",
    agency_contact_person: "Contact person",
    agency_phone: "Phone",
    agency_email: "E-mail",
    agency_staff: "Professional staff",
    agency_listed_since: "Listed since",
    agency_services: "Service types",
    agency_profile: "Profile",
    agency_contacts: "Contacts",
    agency_qualifications: "Qualifications",
    qualification_name: "Certificate",
    qualification_number: "Number",
    qualification_level: "Grade",
    qualification_authority: "Issued by",
    qualification_validity: "Valid",
    qualification_covers: "Covers",
    qualification_none: "No qualifications on record.",
    people_unit: "people",

    login_title: "Log in",
    login_submit: "Log in",
    login_no_account: "No account yet? Register",
    field_username: "User name",
    field_password: "Password",
    field_username_hint: "3–32 letters, digits, _, . or -",
    field_password_hint: "At least 8 characters of any kind",

    register_title: "Register",
    register_intro: "Project owners can post procurement needs once registered. Agencies are reviewed by the fee regulator before they appear in the directory.",
    register_role: "Register as",
    register_role_enterprise: "Project owner",
    register_role_enterprise_hint: "A company or body that buys intermediary services",
    register_role_agency: "Intermediary agency",
    register_role_agency_hint: "An agency offering assessments, surveys, valuations…",
    register_regulator_note: "Regulator accounts are created by the administrator and cannot be self-registered.",
    field_organization_name: "Organisation name",
    field_credit_code: "Unified social credit code",
    field_credit_code_hint: "18 characters, on the business licence",
    field_contact_person: "Contact person",
    field_phone: "Phone",
    field_email: "E-mail",
    field_district: "District",
    field_choose: "Choose…",
    register_submit: "Register",
    register_have_account: "Already registered? Log in",
    form_fix_errors: "Please correct the fields marked in red.",
    submitting: "Submitting…",

    account_title: "My account",
    account_role: "Role",
    account_organization: "Organisation",
    account_since: "Registered",
    account_listing: "Listing",
    account_listing_pending_note: "Your listing has been submitted and awaits the fee regulator's review. Once approved it appears in the public directory.",
    account_listing_approved_note: "Your listing is approved and shown in the public directory.",
    account_view_listing: "View public page",
    account_regulator_note: "You are a fee regulator: you review agency listings and fee standards.",
    account_enterprise_note: "Find qualified agencies in the directory.",

    error_title: "Something went wrong",
    error_retry: "Try again",
    error_network: "Cannot reach the server. Check the connection and try again.",
    error_not_found: "What you asked for does not exist or was taken down.",
    error_not_authenticated: "Your session has ended. Please log in again.",
    error_server: "The server cannot handle the request right now. Please try again later.",
    not_found_title: "Page not found",
    not_found_body: "This page does not exist. It may have moved, or the address is wrong.",
    back_home: "Back to the home page",
    loading: "Loading…",
    footer_note: "Yunzhou Development and Reform Commission · Yunzhou Administration for Market Regulation",
};

pub fn messages(locale: Locale) -> &'static Messages {
    match locale {
        Locale::ZhCn => &ZH_CN,
        Locale::En => &EN,
    }
}

/// The current locale, provided once at the root.
#[derive(Clone, Copy)]
pub struct I18n {
    pub locale: RwSignal<Locale>,
}

impl I18n {
    /// Reads the remembered locale, defaulting to Simplified Chinese.
    pub fn from_storage() -> I18n {
        let stored = storage()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|tag| Locale::parse(&tag))
            .unwrap_or_default();
        let i18n = I18n {
            locale: RwSignal::new(stored),
        };
        set_document_lang(stored);
        i18n
    }

    /// Reactive: views that call this re-render when the locale changes.
    pub fn t(&self) -> &'static Messages {
        messages(self.locale.get())
    }

    pub fn set(&self, locale: Locale) {
        if let Some(storage) = storage() {
            let _ = storage.set_item(STORAGE_KEY, locale.as_str());
        }
        set_document_lang(locale);
        self.locale.set(locale);
    }

    pub fn money(&self, amount: Money) -> String {
        format::money(amount, self.locale.get())
    }

    pub fn date(&self, date: CalendarDate) -> String {
        format::date(date, self.locale.get())
    }

    pub fn timestamp(&self, rfc3339: &str) -> String {
        format::timestamp(rfc3339, self.locale.get())
    }
}

pub fn use_i18n() -> I18n {
    use_context::<I18n>().expect("I18n is provided at the root")
}

/// Fills `{name}` placeholders.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn set_document_lang(locale: Locale) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", locale.as_str());
    }
}

/// Sets the browser tab's title: "<page> · 中介服务网上超市".
pub fn set_title(page: &str, messages: &Messages) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(&format!("{page} · {}", messages.product_name));
    }
}
