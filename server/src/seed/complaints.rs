//! The demo complaints: one in each state of the complaint procedure.

use super::*;

pub(super) async fn seed_complaints(
    store: &dyn crate::store::Store,
    enterprise: i64,
    [fee_target, quality_target]: [i64; 2],
) -> Result<(), String> {
    use market_domain::complaint::{ComplaintDraft, ComplaintStatus, ComplaintTarget};
    let day = |n: i64| from_unix(SEED_EPOCH + n * 86_400);
    let complaints = [
        (
            ComplaintTarget::Agency(fee_target),
            "fee",
            "报价之外另行收取专家评审费",
            "中选后机构以“专家评审费”名义另行收取 8000 元,未在报价和收费标准中列明,要求退还并查处。",
            vec!["转账凭证 YZ-2025-08-114".to_owned()],
            Some((true, "经核查,另收费用未在公示的收费标准中列明,属违规收费,责令退还。")),
        ),
        (
            ComplaintTarget::Agency(quality_target),
            "quality",
            "测绘成果与现场不符",
            "交付的地形图与现场高程相差超过规范限差,多次联系机构未予答复,影响用地预审。",
            vec!["用地预审退件通知 云自然资预〔2025〕37 号".to_owned()],
            None,
        ),
    ];
    for (index, (target, category, title, description, evidence, decision)) in
        complaints.into_iter().enumerate()
    {
        let draft = ComplaintDraft {
            target,
            category: category.into(),
            title: title.into(),
            description: description.into(),
            evidence,
            attachments: Vec::new(),
        };
        let parsed = draft
            .parse()
            .map_err(|e| format!("demo complaint: {e:?}"))?;
        let respondent = store
            .complaint_respondent(enterprise, target)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("demo complaint target missing")?;
        let start = 120 + 30 * index as i64;
        let id = store
            .create_complaint(enterprise, parsed, respondent, day(start))
            .await
            .map_err(|e| e.to_string())?;
        let step = |from: ComplaintStatus, to: ComplaintStatus, text: &str, at: i64| {
            store.step_complaint(id, vec![from], to, text.to_owned(), day(at))
        };
        step(
            ComplaintStatus::Filed,
            ComplaintStatus::Accepted,
            "依法受理",
            start + 2,
        )
        .await
        .map_err(|e| e.to_string())?;
        if let Some((upheld, reason)) = decision {
            step(
                ComplaintStatus::Accepted,
                ComplaintStatus::Answered,
                "该费用系专家评审实际支出,已提供票据。",
                start + 8,
            )
            .await
            .map_err(|e| e.to_string())?;
            let to = if upheld {
                ComplaintStatus::Upheld
            } else {
                ComplaintStatus::Dismissed
            };
            step(ComplaintStatus::Answered, to, reason, start + 20)
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
