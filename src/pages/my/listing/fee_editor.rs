//! The fee-standard editor: one pricing model per service, checked as it is typed.

use super::*;

#[component]
pub(super) fn FeeEditor(
    /// Position in the list, for field paths.
    index: usize,
    /// The fee standard's form state.
    row: FeeRow,
    /// All current field errors.
    errors: RwSignal<Vec<FieldError>>,
    /// Removes this standard.
    on_remove: Callback<()>,
    /// Re-validates after an edit.
    recheck: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let path = move |f: &str| format!("fee_standards[{index}].{f}");
    let error_for = move |field: String| field_error(errors, field);
    let select = move |id: String,
                       l: fn(&Messages) -> &'static str,
                       value: RwSignal<String>,
                       options: Vec<(String, Signal<String>)>| {
        view! {
            <div class="field">
                <label class="field__label" for=id.clone()>{move || l(i18n.t())}</label>
                <select class="field__input" id=id on:change:target=move |ev| value.set(ev.target().value())>
                    {options.into_iter().map(|(code, text)| {
                        let selected_code = code.clone();
                        view! { <option value=code selected=move || value.get() == selected_code>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let services = ServiceType::ALL
        .iter()
        .map(|s| {
            (
                s.code().to_owned(),
                Signal::derive(move || s.name(i18n.locale.get()).to_owned()),
            )
        })
        .collect();
    let bases = PricingBasis::ALL
        .iter()
        .map(|b| {
            (
                b.code().to_owned(),
                Signal::derive(move || b.name(i18n.locale.get()).to_owned()),
            )
        })
        .collect();
    let kinds = vec![
        ("fixed".to_owned(), label(|t| t.model_fixed)),
        ("investment_tiered".to_owned(), label(|t| t.model_tiered)),
        ("per_unit".to_owned(), label(|t| t.model_per_unit)),
    ];
    let kind = row.kind;
    let bracket_items = move || {
        row.brackets
            .get()
            .into_iter()
            .enumerate()
            .collect::<Vec<_>>()
    };
    view! {
        <div class="repeat repeat--fee" role="group" aria-label=move || format!("{} {}", i18n.t().editor_fees, index + 1)>
            <div class="form-grid">
                {select(format!("fee-{index}-service"), |t| t.field_fee_service, row.service_type, services)}
                {select(format!("fee-{index}-basis"), |t| t.field_fee_basis, row.basis, bases)}
                {select(format!("fee-{index}-kind"), |t| t.field_fee_model, row.kind, kinds)}
            </div>
            <FieldMessage error=error_for(path("service_type")) />
            <div class="form-grid">
                <Show when=move || kind.get() == "fixed">
                    <TextField name="fee_price" id=format!("fee_price-{index}") label=label(|t| t.field_fee_price) value=row.price error=error_for(path("model.price")) on_blur=recheck />
                </Show>
                <Show when=move || kind.get() == "per_unit">
                    <TextField name="fee_unit" id=format!("fee_unit-{index}") label=label(|t| t.field_fee_unit) value=row.unit error=error_for(path("model.unit")) on_blur=recheck />
                    <TextField name="fee_unit_price" id=format!("fee_unit_price-{index}") label=label(|t| t.field_fee_unit_price) value=row.unit_price error=error_for(path("model.unit_price")) on_blur=recheck />
                </Show>
                <Show when=move || kind.get() != "fixed">
                    <TextField name="fee_minimum" id=format!("fee_minimum-{index}") label=label(|t| t.field_fee_minimum) value=row.minimum error=error_for(path("model.minimum")) on_blur=recheck />
                </Show>
                <TextField name="fee_discount" id=format!("fee_discount-{index}") label=label(|t| t.field_fee_discount) value=row.discount_percent error=error_for(path("max_discount_bp")) on_blur=recheck />
                <TextField name="fee_effective" id=format!("fee_effective-{index}") label=label(|t| t.field_fee_effective) value=row.effective_from error=error_for(path("effective_from")) input_type="date" on_blur=recheck />
            </div>
            <Show when=move || kind.get() == "investment_tiered">
                <FieldMessage error=error_for(path("model.brackets")) />
                <For each=bracket_items key=|(i, b)| (*i, b.key) let:item>
                    {
                        let (b_index, bracket) = item;
                        let bracket_path = move |f: &str| path(&format!("model.brackets[{b_index}].{f}"));
                        view! {
                            <div class="form-grid bracket">
                                <TextField name="bracket_up_to" id=format!("bracket_up_to-{index}-{b_index}") label=label(|t| t.field_fee_bracket_up_to) value=bracket.up_to_wan error=error_for(bracket_path("up_to")) on_blur=recheck />
                                <TextField name="bracket_rate" id=format!("bracket_rate-{index}-{b_index}") label=label(|t| t.field_fee_bracket_rate) value=bracket.rate_percent error=error_for(bracket_path("rate_ppm")) on_blur=recheck />
                                <button type="button" class="button button--ghost" on:click=move |_| row.brackets.update(|rows| rows.retain(|r| r.key != bracket.key))>
                                    {move || i18n.t().editor_remove_bracket}
                                </button>
                            </div>
                        }
                    }
                </For>
                <button type="button" class="button button--ghost" on:click=move |_| row.brackets.update(|rows| rows.push(BracketRow { key: next_key(), up_to_wan: text(""), rate_percent: text("") }))>
                    {move || i18n.t().editor_add_bracket}
                </button>
            </Show>
            <button type="button" class="button button--ghost" on:click=move |_| on_remove.run(())>
                {move || i18n.t().editor_remove_fee}
            </button>
        </div>
    }
}
