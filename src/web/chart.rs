//! A line chart of one series against its target, rendered as SVG. Pure: the caller supplies
//! the points and every word; the same markup is inlined in the pages and served for `<img>`.

use super::scale::{format_number, Scale};
use maud::{html, Markup};

/// Okabe–Ito colours (distinguishable with every common colour-vision deficiency).
pub mod palette {
    /// Series line and reported points.
    pub const BLUE: &str = "#0072B2";
    /// Target line or band.
    pub const VERMILLION: &str = "#D55E00";
    /// Projection toward the target.
    pub const ORANGE: &str = "#E69F00";
    /// Years below the coverage floor.
    pub const GREY: &str = "#767676";
}

/// One year of the series.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartPoint {
    /// Calendar year.
    pub year: i32,
    /// Value.
    pub value: f64,
    /// Whether the value rests mostly on estimates rather than reported data.
    pub estimated: bool,
    /// Whether too little of the group reported for the year to enter an assessment.
    pub below_floor: bool,
    /// Words shown when pointing at the point (its exact value and what it rests on).
    pub note: String,
}

/// The words a chart shows, in the page's language.
#[derive(Debug, Clone, Default)]
pub struct ChartWords {
    /// Legend: reported points.
    pub reported: String,
    /// Legend: estimated points.
    pub estimated: String,
    /// Legend: years below the coverage floor.
    pub below_floor: String,
    /// Legend: the target line or band.
    pub target: String,
    /// Label of the deadline line.
    pub deadline: String,
    /// Legend: the projection toward the target.
    pub projection: String,
    /// Shown when there is nothing to draw.
    pub no_data: String,
}

/// Full width (the target page) or a small multiple.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// A chart on its own.
    Full,
    /// One of many (no legend, fewer ticks).
    Small,
}

/// Everything a chart shows.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Unique within a page: prefixes the ids `<title>` and `<desc>` are referenced by.
    pub id: String,
    /// Title for screen readers and tooltips.
    pub title: String,
    /// A sentence describing what the chart shows (latest value, status).
    pub description: String,
    /// Suffix of axis labels (`%`, or empty).
    pub unit: String,
    /// The series, by year.
    pub points: Vec<ChartPoint>,
    /// The target: a line (low = high) or a band.
    pub target: Option<(f64, f64)>,
    /// Deadline year, drawn as a vertical line.
    pub deadline: Option<i32>,
    /// Where the trend meets the target: fractional year and value.
    pub projection: Option<(f64, f64)>,
    /// Range a value can take (0–100 for percentages): the axis never leaves it.
    pub bounds: Option<(f64, f64)>,
    /// Words.
    pub words: ChartWords,
    /// Full or small.
    pub size: Size,
}

struct Frame {
    width: f64,
    height: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

impl Frame {
    fn of(size: Size) -> Self {
        match size {
            Size::Full => Frame { width: 640.0, height: 340.0, left: 52.0, right: 20.0, top: 16.0, bottom: 72.0 },
            Size::Small => Frame { width: 300.0, height: 170.0, left: 40.0, right: 10.0, top: 10.0, bottom: 24.0 },
        }
    }
    fn plot_right(&self) -> f64 {
        self.width - self.right
    }
    fn plot_bottom(&self) -> f64 {
        self.height - self.bottom
    }
}

fn c(v: f64) -> String {
    format!("{v:.1}")
}

/// Latest year a projection may extend the time axis to.
const PROJECTION_HORIZON: f64 = 10.0;

impl Chart {
    fn points(&self) -> impl Iterator<Item = &ChartPoint> {
        self.points.iter().filter(|p| p.value.is_finite())
    }

    /// The points an assessment may read (the projection starts from the latest of them).
    fn assessed(&self) -> impl Iterator<Item = &ChartPoint> {
        self.points().filter(|p| !p.below_floor)
    }

    /// The points drawn as markers: all of them, except in small multiples, where the line
    /// carries the reported years and only flagged points and the latest one are marked.
    fn markers(&self) -> impl Iterator<Item = &ChartPoint> {
        let last = self.points().last().map(|p| p.year);
        let small = self.size == Size::Small;
        self.points().filter(move |p| !small || p.estimated || p.below_floor || Some(p.year) == last)
    }

    fn scales(&self, frame: &Frame) -> (Scale, Scale) {
        let years: Vec<f64> = self.points().map(|p| f64::from(p.year)).collect();
        let mut first = years.iter().copied().fold(f64::INFINITY, f64::min);
        let mut last = years.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if let Some(deadline) = self.deadline {
            first = first.min(f64::from(deadline));
            last = last.max(f64::from(deadline));
        }
        if let Some((year, _)) = self.visible_projection(last) {
            last = last.max(year.ceil());
        }
        if !first.is_finite() {
            (first, last) = (2015.0, 2030.0);
        }
        let mut values: Vec<f64> = self.points().map(|p| p.value).collect();
        values.extend(self.target.iter().flat_map(|(low, high)| [*low, *high]));
        if values.iter().all(|v| *v >= 0.0) {
            values.push(0.0);
        }
        let ticks = if self.size == Size::Full { 5 } else { 3 };
        let y = Scale::nice(&values, self.bounds, ticks, (frame.plot_bottom(), frame.top));
        let x = Scale::years(first, last, (frame.left, frame.plot_right()));
        (x, y)
    }

    fn visible_projection(&self, last_year: f64) -> Option<(f64, f64)> {
        let (year, value) = self.projection?;
        let horizon = self.deadline.map_or(last_year, |d| last_year.max(f64::from(d))) + PROJECTION_HORIZON;
        (year.is_finite() && value.is_finite() && year <= horizon).then_some((year, value))
    }

    /// The chart as an SVG element (for inlining in HTML).
    pub fn markup(&self) -> Markup {
        let frame = Frame::of(self.size);
        let (x, y) = self.scales(&frame);
        let (title_id, desc_id) = (format!("{}-title", self.id), format!("{}-desc", self.id));
        let small = self.size == Size::Small;
        let line: Vec<String> =
            self.points().map(|p| format!("{},{}", c(x.at(f64::from(p.year))), c(y.at(p.value)))).collect();
        let radius = if small { 2.0 } else { 3.5 };
        html! {
            svg xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {} {}", frame.width, frame.height))
                class="chart" role="img" aria-labelledby=(format!("{title_id} {desc_id}"))
                font-family="system-ui, sans-serif" font-size=(if small { "10" } else { "12" }) {
                title id=(title_id) { (self.title) }
                desc id=(desc_id) { (self.description) }
                (self.axes(&frame, &x, &y))
                @if let Some((low, high)) = self.target {
                    @if (high - low).abs() > f64::EPSILON {
                        rect class="target" x=(c(frame.left)) y=(c(y.at(high))) width=(c(frame.plot_right() - frame.left))
                            height=(c((y.at(low) - y.at(high)).max(1.0))) fill=(palette::VERMILLION) fill-opacity="0.15" {}
                    }
                    line class="target" x1=(c(frame.left)) x2=(c(frame.plot_right())) y1=(c(y.at((low + high) / 2.0)))
                        y2=(c(y.at((low + high) / 2.0))) stroke=(palette::VERMILLION) stroke-width="2" stroke-dasharray="6 4" {}
                }
                @if let Some(deadline) = self.deadline {
                    line class="deadline" x1=(c(x.at(f64::from(deadline)))) x2=(c(x.at(f64::from(deadline)))) y1=(c(frame.top))
                        y2=(c(frame.plot_bottom())) stroke="#000" stroke-opacity="0.5" stroke-dasharray="2 3" {}
                    @if !small {
                        text x=(c(x.at(f64::from(deadline)) - 4.0)) y=(c(frame.top + 12.0)) text-anchor="end" { (self.words.deadline) " " (deadline) }
                    }
                }
                @if let (Some(last), Some((year, value))) = (self.assessed().last(), self.visible_projection(x.max())) {
                    line class="projection" x1=(c(x.at(f64::from(last.year)))) y1=(c(y.at(last.value))) x2=(c(x.at(year)))
                        y2=(c(y.at(value))) stroke=(palette::ORANGE) stroke-width="2" stroke-dasharray="4 3" {}
                }
                @if line.len() > 1 {
                    polyline class="series" points=(line.join(" ")) fill="none" stroke=(palette::BLUE) stroke-width=(if small { "1.5" } else { "2" }) {}
                }
                @for p in self.markers() {
                    @let colour = if p.below_floor { palette::GREY } else { palette::BLUE };
                    circle class=(point_class(p)) cx=(c(x.at(f64::from(p.year)))) cy=(c(y.at(p.value))) r=(radius)
                        fill=(if p.estimated { "#fff" } else { colour }) stroke=(colour) stroke-width="1.5" {
                        title { (p.note) }
                    }
                }
                @if self.points().next().is_none() {
                    text class="no-data" x=(c((frame.left + frame.plot_right()) / 2.0)) y=(c((frame.top + frame.plot_bottom()) / 2.0))
                        text-anchor="middle" { (self.words.no_data) }
                }
                @if !small { (self.legend(&frame)) }
            }
        }
    }

    /// The chart as a standalone SVG document.
    pub fn document(&self) -> String {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}", self.markup().into_string())
    }

    fn axes(&self, frame: &Frame, x: &Scale, y: &Scale) -> Markup {
        let year_ticks = x.year_ticks(if self.size == Size::Full { 8 } else { 4 });
        html! {
            g class="axes" stroke="#000" stroke-opacity="0.15" {
                @for tick in y.ticks() {
                    line x1=(c(frame.left)) x2=(c(frame.plot_right())) y1=(c(y.at(tick))) y2=(c(y.at(tick))) {}
                }
            }
            g class="labels" fill="#333" {
                @for tick in y.ticks() {
                    text x=(c(frame.left - 4.0)) y=(c(y.at(tick) + 4.0)) text-anchor="end" { (format_number(tick, y.step())) (self.unit) }
                }
                @for year in year_ticks {
                    text x=(c(x.at(f64::from(year)))) y=(c(frame.plot_bottom() + 14.0)) text-anchor="middle" { (year) }
                }
            }
            line x1=(c(frame.left)) x2=(c(frame.plot_right())) y1=(c(frame.plot_bottom())) y2=(c(frame.plot_bottom())) stroke="#000" {}
        }
    }

    fn legend(&self, frame: &Frame) -> Markup {
        let y = frame.plot_bottom() + 36.0;
        let step = (frame.width - frame.left) / 3.0;
        let at = |n: usize| frame.left + step * (n % 3) as f64;
        let row = |n: usize| y + if n < 3 { 0.0 } else { 18.0 };
        html! {
            g class="legend" fill="#333" {
                circle cx=(c(at(0))) cy=(c(row(0) - 4.0)) r="4" fill=(palette::BLUE) stroke=(palette::BLUE) {}
                text x=(c(at(0) + 9.0)) y=(c(row(0))) { (self.words.reported) }
                circle cx=(c(at(1))) cy=(c(row(1) - 4.0)) r="4" fill="#fff" stroke=(palette::BLUE) stroke-width="1.5" {}
                text x=(c(at(1) + 9.0)) y=(c(row(1))) { (self.words.estimated) }
                circle cx=(c(at(2))) cy=(c(row(2) - 4.0)) r="4" fill=(palette::GREY) stroke=(palette::GREY) {}
                text x=(c(at(2) + 9.0)) y=(c(row(2))) { (self.words.below_floor) }
                line x1=(c(at(3) - 6.0)) x2=(c(at(3) + 6.0)) y1=(c(row(3) - 4.0)) y2=(c(row(3) - 4.0)) stroke=(palette::VERMILLION) stroke-width="2" stroke-dasharray="6 4" {}
                text x=(c(at(3) + 9.0)) y=(c(row(3))) { (self.words.target) }
                line x1=(c(at(4) - 6.0)) x2=(c(at(4) + 6.0)) y1=(c(row(4) - 4.0)) y2=(c(row(4) - 4.0)) stroke=(palette::ORANGE) stroke-width="2" stroke-dasharray="4 3" {}
                text x=(c(at(4) + 9.0)) y=(c(row(4))) { (self.words.projection) }
            }
        }
    }
}

fn point_class(p: &ChartPoint) -> &'static str {
    match (p.estimated, p.below_floor) {
        (false, false) => "point reported",
        (true, false) => "point estimated",
        (false, true) => "point reported below-floor",
        (true, true) => "point estimated below-floor",
    }
}

#[cfg(test)]
mod tests;
