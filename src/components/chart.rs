//! Bar charts drawn as SVG by the app itself (no charting library): vertical grouped bars for
//! series over categories, and horizontal bars for rankings. Each chart is an image with a text
//! label; the table under it carries the numbers for screen readers and for copying.

use leptos::prelude::*;
use market_domain::stats::axis_money;
use market_domain::Locale;

/// How a value reads on the axis and in bar labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueFormat {
    Count,
    /// Fen.
    Money,
    /// Seconds, read as days.
    Days,
}

impl ValueFormat {
    pub fn format(self, value: i64, locale: Locale) -> String {
        match self {
            ValueFormat::Count => value.to_string(),
            ValueFormat::Money => axis_money(value, locale),
            ValueFormat::Days => {
                let tenths = (value * 10 + 43_200) / 86_400;
                let unit = if locale == Locale::ZhCn { " 天" } else { " d" };
                format!("{}.{}{unit}", tenths / 10, tenths % 10)
            }
        }
    }
}

/// The colour role of a series; drives the BEM modifier of its bars and legend swatch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeriesTone {
    Primary,
    Secondary,
}

impl SeriesTone {
    pub fn as_str(self) -> &'static str {
        match self {
            SeriesTone::Primary => "primary",
            SeriesTone::Secondary => "secondary",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartSeries {
    pub name: String,
    pub tone: SeriesTone,
    pub values: Vec<i64>,
}

/// A "nice" axis maximum (1, 2 or 5 × 10ⁿ) at or above `max`, and how many gridline steps divide
/// it into round values (5 for 1 and 5, 4 for 2).
pub fn nice_ceiling(max: i64) -> (i64, i64) {
    if max <= 0 {
        return (5, 5);
    }
    let mut magnitude = 1_i64;
    while magnitude.saturating_mul(10) <= max {
        magnitude *= 10;
    }
    let lead = [1, 2, 5, 10]
        .into_iter()
        .find(|lead| lead * magnitude >= max)
        .unwrap_or(10);
    let ceiling = lead * magnitude;
    // Small counts: one gridline per unit rather than fractions of one.
    let steps = if ceiling < 5 {
        ceiling
    } else if lead == 2 {
        4
    } else {
        5
    };
    (ceiling, steps)
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 84.0;
const BOTTOM: f64 = 40.0;
const TOP: f64 = 12.0;

#[component]
pub fn BarChart(
    /// What the chart shows, read out as the image's name.
    #[prop(into)]
    label: String,
    /// Category names along the horizontal axis.
    categories: Vec<String>,
    /// One or more series, each with a value per category.
    series: Vec<ChartSeries>,
    /// How values read.
    format: ValueFormat,
    /// The locale of the axis labels.
    locale: Locale,
) -> impl IntoView {
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0);
    let (ceiling, steps) = nice_ceiling(max);
    let ceiling = ceiling as f64;
    let plot_width = WIDTH - LEFT - 8.0;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let slot = plot_width / categories.len().max(1) as f64;
    let bar = (slot * 0.7 / series.len().max(1) as f64).min(36.0);
    let y = move |value: f64| TOP + plot_height - value / ceiling * plot_height;
    let grid = (0..=steps)
        .map(|i| {
            let value = ceiling as i64 * i / steps;
            let at = y(value as f64);
            view! {
                <g class="chart__grid">
                    <line x1=LEFT x2=WIDTH - 8.0 y1=at y2=at />
                    <text x=LEFT - 6.0 y=at + 4.0 text-anchor="end">{format.format(value, locale)}</text>
                </g>
            }
        })
        .collect_view();
    let group_width = bar * series.len() as f64;
    let bars = series
        .iter()
        .enumerate()
        .flat_map(|(s, serie)| {
            let tone = serie.tone;
            let name = serie.name.clone();
            let categories = categories.clone();
            serie.values.iter().enumerate().map(move |(c, value)| {
                let x = LEFT + slot * c as f64 + (slot - group_width) / 2.0 + bar * s as f64;
                let top = y(*value as f64);
                let title = format!(
                    "{} · {}:{}",
                    categories[c],
                    name,
                    format.format(*value, locale)
                );
                view! {
                    <rect class=format!("chart__bar chart__bar--{}", tone.as_str())
                        x=x y=top width=bar height=(TOP + plot_height - top).max(0.0)>
                        <title>{title}</title>
                    </rect>
                }
            })
        })
        .collect_view();
    // Long names in narrow slots are drawn slanted so neighbours do not overlap.
    let crowded = categories
        .iter()
        .any(|name| name.chars().count() as f64 * 12.0 > slot);
    let ticks = categories
        .iter()
        .enumerate()
        .map(|(c, name)| {
            let x = LEFT + slot * c as f64 + slot / 2.0;
            let y = HEIGHT - BOTTOM + 16.0;
            if crowded {
                view! {
                    <text class="chart__tick" x=x y=y text-anchor="end"
                        transform=format!("rotate(-30 {x} {y})")>{name.clone()}</text>
                }
                .into_any()
            } else {
                view! { <text class="chart__tick" x=x y=y text-anchor="middle">{name.clone()}</text> }.into_any()
            }
        })
        .collect_view();
    let height = if crowded { HEIGHT + 60.0 } else { HEIGHT };
    let legend = (series.len() > 1).then(|| {
        view! {
            <ul class="chart__legend">
                {series.iter().map(|s| view! {
                    <li><span class=format!("chart__swatch chart__bar--{}", s.tone.as_str())></span>{s.name.clone()}</li>
                }).collect_view()}
            </ul>
        }
    });
    view! {
        <figure class="chart">
            <svg class="chart__svg" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=label>
                {grid}
                {bars}
                <line class="chart__axis" x1=LEFT x2=WIDTH - 8.0 y1=TOP + plot_height y2=TOP + plot_height />
                {ticks}
            </svg>
            {legend}
        </figure>
    }
}

const ROW: f64 = 28.0;
const LABEL: f64 = 200.0;

#[component]
pub fn HBarChart(
    /// What the chart shows, read out as the image's name.
    #[prop(into)]
    label: String,
    /// (name, value) per bar, drawn top to bottom.
    bars: Vec<(String, i64)>,
    /// How values read.
    format: ValueFormat,
    /// The locale of the value labels.
    locale: Locale,
) -> impl IntoView {
    let max = bars.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1) as f64;
    let height = ROW * bars.len().max(1) as f64 + 8.0;
    let plot = WIDTH - LABEL - 110.0;
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(i, (name, value))| {
            let y = 4.0 + ROW * i as f64;
            let width = (value as f64 / max * plot).max(if value > 0 { 2.0 } else { 0.0 });
            let shown = format.format(value, locale);
            let short: String = if name.chars().count() > 14 {
                name.chars().take(13).chain(['…']).collect()
            } else {
                name.clone()
            };
            view! {
                <g>
                    <text class="chart__tick" x=LABEL - 8.0 y=y + 17.0 text-anchor="end">{short}<title>{name.clone()}</title></text>
                    <rect class="chart__bar chart__bar--primary" x=LABEL y=y + 4.0 width=width height=ROW - 8.0>
                        <title>{format!("{name}:{shown}")}</title>
                    </rect>
                    <text class="chart__value" x=LABEL + width + 6.0 y=y + 17.0>{shown.clone()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg class="chart__svg" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=label>
                {rows}
            </svg>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_maxima_are_round_and_never_below_the_data() {
        assert_eq!(nice_ceiling(0), (5, 5));
        assert_eq!(nice_ceiling(2), (2, 2));
        assert_eq!(nice_ceiling(7), (10, 5));
        assert_eq!(nice_ceiling(12), (20, 4));
        assert_eq!(nice_ceiling(45_000_000), (50_000_000, 5));
        assert_eq!(nice_ceiling(100), (100, 5));
    }
}
