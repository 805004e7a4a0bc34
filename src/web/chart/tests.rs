//! The renderer on hand-made series: what a reader of the SVG would see.

use super::*;

fn point(year: i32, value: f64) -> ChartPoint {
    ChartPoint { year, value, estimated: false, below_floor: false, note: format!("{year}: {value}") }
}

fn chart(points: Vec<ChartPoint>) -> Chart {
    Chart {
        id: "c".into(),
        title: "1.2 World".into(),
        description: "Individuals using the Internet".into(),
        unit: "%".into(),
        points,
        target: Some((70.0, 70.0)),
        deadline: Some(2023),
        projection: None,
        bounds: Some((0.0, 100.0)),
        words: ChartWords {
            reported: "reported".into(),
            estimated: "estimated".into(),
            below_floor: "below floor".into(),
            target: "target".into(),
            deadline: "deadline".into(),
            projection: "projection".into(),
            no_data: "no data".into(),
        },
        size: Size::Full,
    }
}

/// Parses the document and returns it (panics when it is not well-formed XML).
fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}\n{svg}"))
}

fn attr(node: roxmltree::Node, name: &str) -> f64 {
    node.attribute(name).unwrap_or_else(|| panic!("no {name}")).parse().unwrap()
}

fn nodes<'a>(doc: &'a roxmltree::Document, class: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants().filter(|n| n.attribute("class").is_some_and(|c| c.split(' ').any(|w| w == class))).collect()
}

/// The plot area: (left, top, right, bottom) of the viewBox.
fn view_box(doc: &roxmltree::Document) -> (f64, f64) {
    let parts: Vec<f64> =
        doc.root_element().attribute("viewBox").unwrap().split(' ').map(|v| v.parse().unwrap()).collect();
    (parts[2], parts[3])
}

fn assert_inside(doc: &roxmltree::Document, x: f64, y: f64) {
    let (width, height) = view_box(doc);
    assert!((0.0..=width).contains(&x) && (0.0..=height).contains(&y), "({x}, {y}) outside {width}x{height}");
}

#[test]
fn an_empty_series_draws_axes_and_says_there_is_no_data() {
    let svg = chart(Vec::new()).document();
    let doc = parse(&svg);
    assert!(nodes(&doc, "point").is_empty());
    assert!(nodes(&doc, "series").is_empty());
    assert_eq!(nodes(&doc, "no-data")[0].text(), Some("no data"));
    let target = &nodes(&doc, "target")[0];
    assert_inside(&doc, attr(*target, "x1"), attr(*target, "y1"));
}

#[test]
fn the_svg_names_itself_for_screen_readers() {
    let svg = chart(vec![point(2020, 50.0)]).document();
    let doc = parse(&svg);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    let title = root.children().find(|n| n.has_tag_name("title")).unwrap();
    let desc = root.children().find(|n| n.has_tag_name("desc")).unwrap();
    assert_eq!(title.text(), Some("1.2 World"));
    assert_eq!(desc.text(), Some("Individuals using the Internet"));
    assert_eq!(root.attribute("aria-labelledby"), Some("c-title c-desc"));
}

#[test]
fn one_point_is_drawn_inside_the_plot_without_a_line() {
    let svg = chart(vec![point(2020, 50.0)]).document();
    let doc = parse(&svg);
    let points = nodes(&doc, "point");
    assert_eq!(points.len(), 1);
    assert_inside(&doc, attr(points[0], "cx"), attr(points[0], "cy"));
    assert!(nodes(&doc, "series").is_empty(), "a line needs two points");
    assert!(nodes(&doc, "no-data").is_empty());
}

#[test]
fn values_at_the_axis_limits_stay_on_the_plot() {
    let svg = chart(vec![point(2000, 0.0), point(2010, 100.0), point(2023, 100.0)]).document();
    let doc = parse(&svg);
    let points = nodes(&doc, "point");
    assert_eq!(points.len(), 3);
    let (zero, hundred) = (attr(points[0], "cy"), attr(points[1], "cy"));
    assert!(zero > hundred, "higher values are drawn higher");
    for p in &points {
        assert_inside(&doc, attr(*p, "cx"), attr(*p, "cy"));
    }
    let labels: Vec<_> = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(labels.contains(&"100%"), "the axis ends at the bound: {labels:?}");
    assert!(!labels.iter().any(|l| l.starts_with("120")), "no tick beyond the bound");
}

#[test]
fn estimated_points_are_hollow_and_below_floor_points_grey() {
    let mut estimated = point(2021, 60.0);
    estimated.estimated = true;
    let mut thin = point(2022, 61.0);
    thin.below_floor = true;
    let svg = chart(vec![point(2020, 55.0), estimated, thin]).document();
    let doc = parse(&svg);
    let reported = nodes(&doc, "reported");
    assert_eq!(reported.len(), 2);
    assert_eq!(reported[0].attribute("fill"), Some(palette::BLUE));
    let hollow = nodes(&doc, "estimated");
    assert_eq!(hollow.len(), 1);
    assert_eq!(hollow[0].attribute("fill"), Some("#fff"));
    let grey = nodes(&doc, "below-floor");
    assert_eq!(grey.len(), 1);
    assert_eq!(grey[0].attribute("fill"), Some(palette::GREY));
    let note = grey[0].children().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(note.text(), Some("2022: 61"));
}

#[test]
fn a_target_above_every_value_is_still_on_the_plot_and_above_the_points() {
    let mut c = chart(vec![point(2018, 10.0), point(2019, 12.0), point(2020, 15.0)]);
    c.target = Some((90.0, 90.0));
    let svg = c.document();
    let doc = parse(&svg);
    let target = nodes(&doc, "target")[0];
    let y = attr(target, "y1");
    assert_inside(&doc, attr(target, "x2"), y);
    for p in nodes(&doc, "point") {
        assert!(attr(p, "cy") > y, "the target is drawn above every value");
    }
}

#[test]
fn a_projection_runs_from_the_last_point_to_the_target() {
    let mut c = chart(vec![point(2018, 40.0), point(2020, 50.0)]);
    c.projection = Some((2027.5, 70.0));
    let svg = c.document();
    let doc = parse(&svg);
    let projection = nodes(&doc, "projection")[0];
    let last = *nodes(&doc, "point").last().unwrap();
    assert_eq!(attr(projection, "x1"), attr(last, "cx"));
    assert_eq!(attr(projection, "y2"), attr(nodes(&doc, "target")[0], "y1"));
    assert_inside(&doc, attr(projection, "x2"), attr(projection, "y2"));

    let mut thin = point(2021, 30.0);
    thin.below_floor = true;
    c.points.push(thin);
    let anchored = c.document();
    let doc = parse(&anchored);
    assert_eq!(
        attr(nodes(&doc, "projection")[0], "x1"),
        attr(nodes(&doc, "point")[1], "cx"),
        "the trend starts from the latest year an assessment reads, not from a year below the floor"
    );

    c.projection = Some((2090.0, 70.0));
    let far = c.document();
    assert!(nodes(&parse(&far), "projection").is_empty(), "a projection decades away is described, not drawn");
}

#[test]
fn text_from_the_catalogue_or_reporters_is_escaped() {
    let mut c = chart(vec![point(2020, 1.0)]);
    c.title = "<script>alert('x')</script> & \"quotes\"".into();
    c.id = "a\"b".into();
    let svg = c.document();
    let doc = parse(&svg);
    let title = doc.root_element().children().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(title.text(), Some("<script>alert('x')</script> & \"quotes\""));
    assert!(!svg.contains("<script>"));
}

#[test]
fn values_that_are_not_numbers_are_left_out() {
    let svg = chart(vec![point(2019, f64::NAN), point(2020, 5.0), point(2021, f64::INFINITY)]).document();
    let doc = parse(&svg);
    assert_eq!(nodes(&doc, "point").len(), 1);
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
}

#[test]
fn a_parity_band_is_drawn_as_a_band_around_its_middle() {
    let mut c = chart(vec![point(2019, 0.9), point(2020, 0.95)]);
    c.target = Some((0.98, 1.02));
    c.bounds = None;
    c.unit = String::new();
    let svg = c.document();
    let doc = parse(&svg);
    let targets = nodes(&doc, "target");
    assert_eq!(targets.len(), 2, "band and middle line");
    assert!(attr(targets[0], "height") > 0.0);
}

#[test]
fn small_multiples_have_no_legend() {
    let mut c = chart(vec![point(2019, 1.0), point(2020, 2.0)]);
    c.size = Size::Small;
    let doc_text = c.document();
    let doc = parse(&doc_text);
    assert!(nodes(&doc, "legend").is_empty());
    c.size = Size::Full;
    let full = c.document();
    assert_eq!(nodes(&parse(&full), "legend").len(), 1);
}

#[test]
fn small_multiples_mark_only_flagged_points_and_the_latest() {
    let mut estimated = point(2019, 2.0);
    estimated.estimated = true;
    let mut c = chart(vec![point(2017, 1.0), point(2018, 1.5), estimated, point(2020, 3.0)]);
    c.size = Size::Small;
    let svg = c.document();
    let doc = parse(&svg);
    let years: Vec<_> = nodes(&doc, "point")
        .iter()
        .map(|p| p.children().find(|n| n.has_tag_name("title")).unwrap().text().unwrap().to_string())
        .collect();
    assert_eq!(years, vec!["2019: 2", "2020: 3"]);
    assert_eq!(nodes(&doc, "series")[0].attribute("points").unwrap().split(' ').count(), 4);
}

mod extremes {
    use super::*;
    use crate::domain::progress::tests::extreme;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_finite_values_draw_a_well_formed_chart_of_short_finite_coordinates(
            values in prop::collection::vec(extreme(), 0..6),
            target in prop::option::of((extreme(), extreme())),
            projection in prop::option::of((2000.0..2060.0f64, extreme())),
            bounded in any::<bool>(),
            small in any::<bool>(),
        ) {
            let points = values.iter().enumerate().map(|(n, v)| point(2015 + n as i32, *v)).collect();
            let chart = Chart {
                target,
                projection,
                bounds: bounded.then_some((0.0, 100.0)),
                size: if small { Size::Small } else { Size::Full },
                ..chart(points)
            };
            let svg = chart.document();
            let doc = parse(&svg);
            for node in doc.descendants().filter(|n| n.is_element()) {
                for name in ["x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "width", "height"] {
                    if let Some(text) = node.attribute(name) {
                        let number: f64 = text.parse().unwrap_or(f64::NAN);
                        prop_assert!(number.is_finite() && text.len() <= 12, "{name}={text}");
                    }
                }
            }
            prop_assert!(!svg.contains("NaN") && !svg.contains("inf"));
        }
    }
}
