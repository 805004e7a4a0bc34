//! Every word of the pages and charts that is not catalogue data, in English and Chinese, in
//! one table. Goal, target, group and country names come from the catalogue.

use crate::domain::language::Language;
use crate::domain::progress::ProgressStatus;

macro_rules! labels {
    ($($name:ident => $en:literal, $zh:literal;)*) => {
        /// A word or phrase of the user interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Label { $(#[doc = $en] $name),* }

        impl Label {
            /// The text in a language.
            pub fn text(self, language: Language) -> &'static str {
                match self { $(Self::$name => language.pick($en, $zh)),* }
            }
        }
    };
}

labels! {
    SiteTitle => "Connect 2030 progress", "连通2030议程进展";
    Intro => "Where the world stands on the 24 targets of the ITU Connect 2030 Agenda, computed from the data member states report. Every number on this page comes from the public JSON API.",
             "根据成员国报告的数据计算的国际电联连通2030议程24项具体目标的全球进展。本页的每个数字都来自公开的JSON接口。";
    Dashboard => "Dashboard", "总览";
    Goal => "Goal", "战略目标";
    Target => "Target", "具体目标";
    TargetValue => "Target value", "目标值";
    Latest => "Latest", "最新值";
    Status => "Status", "状态";
    Coverage => "Coverage", "覆盖率";
    Estimated => "Estimated", "估算";
    Reported => "Reported", "报告值";
    BelowFloor => "Below the coverage floor", "低于覆盖率下限";
    Deadline => "Deadline", "截止";
    Projection => "Trend toward the target", "趋向目标的趋势";
    ProjectedYear => "Projected year the target is reached", "预计达到目标的年份";
    NoProjection => "No projected year", "无预计年份";
    Year => "Year", "年份";
    NoData => "No data", "无数据";
    OfPopulation => "of the population", "人口";
    OfCountries => "of the countries", "国家";
    Countries => "Countries", "国家";
    Country => "Country", "国家";
    Groups => "Regions and groups", "区域和组别";
    CountryAssessments => "Every country's assessment", "各国评估";
    SortHint => "Select a column heading to sort.", "点击列标题排序。";
    LastReported => "Last reported", "最近报告";
    Answer => "Answer", "回答";
    Yes => "yes", "是";
    No => "no", "否";
    Series => "Series", "序列";
    Initiatives => "Initiatives", "举措";
    NoInitiatives => "No initiative shared yet.", "尚未分享任何举措。";
    AllInitiatives => "All of them, as JSON", "全部举措（JSON）";
    Language => "Language", "语言";
    Method => "Method", "方法";
    DataVersion => "Data version", "数据版本";
    JsonLink => "The same data as JSON", "相同数据（JSON）";
    SvgLink => "Chart as SVG", "SVG图表";
    AboutTitle => "For dashboard authors", "致仪表板开发者";
    About => "This page is drawn on the server from the same public API any dashboard can read; the charts are also served as SVG for embedding.",
             "本页在服务器端根据任何仪表板都可读取的同一公开接口绘制；图表也以SVG形式提供，便于嵌入。";
    ParityBand => "parity band 0.98–1.02", "均等区间0.98–1.02";
    MoreThanBaseline => "more than at the baseline", "高于基准年";
    Api => "API documentation", "接口文档";
    Skip => "Skip to content", "跳至正文";
}

impl Label {
    /// `yes` or `no`.
    pub fn from_answer(yes: bool) -> Self {
        if yes {
            Self::Yes
        } else {
            Self::No
        }
    }
}

/// The word for a status.
pub fn status(status: ProgressStatus, language: Language) -> &'static str {
    use ProgressStatus::*;
    let (en, zh) = match status {
        TargetAchieved => ("Target achieved", "已达到目标"),
        SubstantialProgress => ("Substantial progress", "进展显著"),
        ModerateProgress => ("Moderate progress", "进展中等"),
        LimitedProgress => ("Limited progress", "进展有限"),
        Deterioration => ("Deterioration", "倒退"),
        OnTrack => ("On track", "步入正轨"),
        FairProgress => ("Fair progress", "进展尚可"),
        StagnationOrRegression => ("Stagnation or regression", "停滞或倒退"),
        InsufficientData => ("Insufficient data", "数据不足"),
    };
    language.pick(en, zh)
}

/// The word for a kind of initiative (its wire name).
pub fn initiative_kind(kind: &str, language: Language) -> &'static str {
    let (en, zh) = match kind {
        "strategy" => ("Strategy", "战略"),
        "policy" => ("Policy", "政策"),
        "case_study" => ("Case study", "案例研究"),
        "good_practice" => ("Good practice", "良好做法"),
        "lesson_learned" => ("Lesson learned", "经验教训"),
        _ => ("Initiative", "举措"),
    };
    language.pick(en, zh)
}

/// How many of a country's initiatives a page lists, newest first, when it lists only some.
pub fn initiatives_shown(shown: usize, total: i64, language: Language) -> String {
    match language {
        Language::En => format!("The {shown} newest of {total} initiatives are listed, newest first."),
        Language::Zh => format!("按时间倒序列出{total}项举措中最新的{shown}项。"),
    }
}

/// A year in a sentence ("in 2023", "2023年").
pub fn in_year(year: i32, language: Language) -> String {
    match language {
        Language::En => format!("in {year}"),
        Language::Zh => format!("{year}年"),
    }
}

/// A share (0..1) as a whole percentage.
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}
