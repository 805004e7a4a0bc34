//! `GET /targets/{id}`: the chart of the target's group, small multiples of the other
//! groups, and every country's assessment in a sortable table.

use super::layout::{page, status_badge, status_rank, Context};
use crate::api::progress::TargetProgressView;
use crate::domain::catalogue::Target;
use crate::domain::progress::ProgressStatus;
use crate::domain::tracking::CountryProgress;
use crate::web::chart::Size;
use crate::web::figures::{describe, Figure, Measure};
use crate::web::labels::{self, Label};
use maud::{html, Markup};

fn country_row(context: &Context, measure: &Measure, country: &CountryProgress) -> Markup {
    let language = context.language;
    let (value, year, status) = match (&country.answer, &country.assessment) {
        (Some(answer), _) => {
            let word = Label::from_answer(answer.yes);
            (Some((f64::from(u8::from(answer.yes)), context.t(word).to_string())), Some(answer.year), None)
        }
        (None, Some(a)) => (a.current_value.map(|v| (v, measure.value(v))), a.current_year, Some(a.status)),
        (None, None) => (None, None, None),
    };
    html! {
        tr {
            td data-sort=(country.name) { a href=(context.link(&format!("/countries/{}", country.country))) { (country.name) } }
            @match value {
                Some((number, text)) => td class="num" data-sort=(number) { (text) },
                None => td class="num" data-sort="" { "–" },
            }
            td class="num" data-sort=(year.map(|y| y.to_string()).unwrap_or_default()) { (year.map(|y| y.to_string()).unwrap_or_else(|| "–".into())) }
            @match status {
                Some(s) => td data-sort=(status_rank(s)) { (status_badge(s, language)) },
                None => td data-sort="9" { "–" },
            }
        }
    }
}

/// The target page.
pub fn render(context: &Context, target: &Target, measure: &Measure, view: &TargetProgressView) -> String {
    let language = context.language;
    let headline = &view.breakdown.headline;
    let figure = |id: String, size: Size| Figure { id, target, measure, language, size };
    let main_chart = figure("chart-main".into(), Size::Full).group(headline);
    let svg = format!("/api/v1/progress/targets/{}/chart.svg", target.id);
    let mut countries: Vec<&CountryProgress> = view.breakdown.countries.iter().collect();
    countries.sort_by(|a, b| a.name.cmp(&b.name));
    let main = html! {
        p class="crumbs" { a href=(context.link("/")) { (context.t(Label::Dashboard)) } " › " (context.t(Label::Goal)) " " (target.goal) }
        h1 { (context.t(Label::Target)) " " (target.id) }
        p class="target-text" { (view.target.text) }
        figure class="main-chart" {
            (main_chart.markup())
            figcaption {
                strong { (headline.group_name) } ": " (describe(measure, &headline.assessment, language)) " "
                (status_badge(headline.assessment.status, language))
                @if headline.assessment.projected_year.is_none() && headline.assessment.status != ProgressStatus::TargetAchieved {
                    " " span class="note" { (context.t(Label::NoProjection)) }
                }
                " · " a href=(format!("{svg}?lang={}", language.tag())) { (context.t(Label::SvgLink)) }
            }
        }
        section aria-labelledby="groups" {
            h2 id="groups" { (context.t(Label::Groups)) }
            div class="multiples" {
                @for (n, group) in view.breakdown.groups.iter().enumerate() {
                    figure class="multiple" data-group=(group.group) {
                        figcaption { strong { (group.group_name) } " " (status_badge(group.assessment.status, language)) }
                        (figure(format!("chart-{n}"), Size::Small).group(group).markup())
                    }
                }
            }
        }
        section aria-labelledby="countries" {
            h2 id="countries" { (context.t(Label::CountryAssessments)) }
            p class="note" { (context.t(Label::SortHint)) }
            div class="table-wrap" {
                table class="sortable" id="country-table" {
                    thead { tr {
                        th scope="col" aria-sort="ascending" { (context.t(Label::Country)) }
                        th scope="col" class="num" { (context.t(Label::LastReported)) }
                        th scope="col" class="num" { (context.t(Label::Year)) }
                        th scope="col" { (context.t(Label::Status)) }
                    } }
                    tbody {
                        @for country in countries { (country_row(context, measure, country)) }
                    }
                }
            }
        }
    };
    let title = format!(
        "{} {} · {}",
        context.t(Label::Target),
        target.id,
        labels::status(headline.assessment.status, language)
    );
    page(context, &title, main, &format!("/api/v1/progress/targets/{}", target.id))
}
