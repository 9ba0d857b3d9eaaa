//! Market statistics for everyone (volumes, savings, competition) and, for regulators, step times
//! and the agencies ranking; with CSV and XLSX exports of the very tables the app shows.

use crate::auth::CurrentUser;
use crate::clock::to_rfc3339;
use crate::error::{ApiError, ApiResult};
use crate::http::query::ApiQuery;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use market_domain::stats::{to_csv, Cell, Statistics, StatsScope, Table};
use market_domain::{Locale, Role};
use rust_xlsxwriter::{Format, Workbook};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_statistics))
        .routes(routes!(export_csv))
        .routes(routes!(export_xlsx))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ExportQuery {
    /// 表头语言:zh-CN(默认)或 en。
    lang: Option<String>,
}

impl ExportQuery {
    fn locale(&self) -> Locale {
        self.lang
            .as_deref()
            .and_then(Locale::parse)
            .unwrap_or_default()
    }
}

async fn statistics(state: &AppState, user: Option<&CurrentUser>) -> ApiResult<Statistics> {
    let scope = if user.is_some_and(|u| u.role == Role::Regulator) {
        StatsScope::Regulator
    } else {
        StatsScope::Public
    };
    let parts = state
        .store
        .statistics(scope == StatsScope::Regulator)
        .await?;
    Ok(Statistics {
        scope,
        by_month: parts.by_month,
        by_service: parts.by_service,
        bids_per_job: parts.bids_per_job,
        steps: parts.steps,
        top_agencies: parts.top_agencies,
        generated_at: to_rfc3339(state.clock.now()),
    })
}

#[utoipa::path(
    get,
    path = "/api/statistics",
    tag = "statistics",
    summary = "统计:按月、按服务类型、各环节用时、报价数分布、机构中选排名",
    responses((status = 200, description = "成功", body = Statistics)),
    security((), ("session" = [])),
)]
async fn get_statistics(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
) -> ApiResult<Json<Statistics>> {
    Ok(Json(statistics(&state, user.as_ref()).await?))
}

/// A download named in the reader's language (RFC 6266 `filename*`), with an ASCII name for
/// clients that do not read it.
fn attachment(
    content_type: &'static str,
    ascii_name: &str,
    file_name: &str,
    body: Vec<u8>,
) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{}",
                    market_domain::wire::percent_encode(file_name)
                ),
            ),
        ],
        body,
    )
        .into_response()
}

/// The tables `export_csv` serves, for the document only: the handler matches the keys of
/// `Statistics::tables` (and tolerates a `.csv` suffix), which a test keeps equal to this list.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
enum TableName {
    ByMonth,
    ByService,
    BidsPerJob,
    Steps,
    TopAgencies,
}

#[utoipa::path(
    get,
    path = "/api/statistics/csv/{table}",
    tag = "statistics",
    summary = "以 CSV 导出一张统计表",
    params(("table" = inline(TableName), Path, description = "统计表名:by_month、by_service、bids_per_job、steps、top_agencies(仅监管可见后两张)"), ExportQuery),
    responses((status = 200, description = "UTF-8 CSV(带 BOM,便于 Excel 打开)", content_type = "text/csv", body = String)),
    security((), ("session" = [])),
)]
async fn export_csv(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    Path(table): Path<String>,
    ApiQuery(query): ApiQuery<ExportQuery>,
) -> ApiResult<Response> {
    let stats = statistics(&state, user.as_ref()).await?;
    let key = table.strip_suffix(".csv").unwrap_or(&table);
    let table = stats
        .tables(query.locale())
        .into_iter()
        .find(|t| t.key == key)
        .ok_or(ApiError::NotFound)?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        &format!("{}.csv", table.key),
        &format!("{}.csv", table.title),
        to_csv(&table).into_bytes(),
    ))
}

/// A table's title as a sheet name: at most 31 characters, none of `[]:*?/\\`.
pub fn sheet_name(title: &str) -> String {
    title
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect()
}

fn write_sheet(workbook: &mut Workbook, table: &Table) -> Result<(), rust_xlsxwriter::XlsxError> {
    let bold = Format::new().set_bold();
    let yuan = Format::new().set_num_format("#,##0.00");
    let days = Format::new().set_num_format("0.0");
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(&table.title))?;
    for (col, title) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, title, &bold)?;
        sheet.set_column_width(col as u16, if col == 0 { 28 } else { 18 })?;
    }
    for (index, row) in table.rows.iter().enumerate() {
        let r = index as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            let c = col as u16;
            match cell {
                Cell::Text(text) => sheet.write_string(r, c, text)?,
                Cell::Count(n) => sheet.write_number(r, c, *n as f64)?,
                // A spreadsheet number is a double; the plain text is the exact decimal.
                Cell::Yuan(_) | Cell::Days(_) => {
                    let format = if matches!(cell, Cell::Yuan(_)) {
                        &yuan
                    } else {
                        &days
                    };
                    let value: f64 = cell.plain().parse().unwrap_or_default();
                    sheet.write_number_with_format(r, c, value, format)?
                }
            };
        }
    }
    Ok(())
}

#[utoipa::path(
    get,
    path = "/api/statistics/xlsx",
    tag = "statistics",
    summary = "以 XLSX 工作簿导出全部统计表",
    params(ExportQuery),
    responses((status = 200, description = "XLSX 工作簿,每张统计表一个工作表", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)),
    security((), ("session" = [])),
)]
async fn export_xlsx(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    ApiQuery(query): ApiQuery<ExportQuery>,
) -> ApiResult<Response> {
    let stats = statistics(&state, user.as_ref()).await?;
    let locale = query.locale();
    let tables = stats.tables(locale);
    let bytes = tokio::task::spawn_blocking(move || {
        let mut workbook = Workbook::new();
        for table in &tables {
            write_sheet(&mut workbook, table)?;
        }
        workbook.save_to_buffer()
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    let name = match locale {
        market_domain::Locale::ZhCn => "中介超市统计数据.xlsx",
        market_domain::Locale::En => "statistics.xlsx",
    };
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "statistics.xlsx",
        name,
        bytes,
    ))
}
