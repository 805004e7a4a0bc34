//! The OpenAPI schemas of the output types carry the wire names.

use utoipa::openapi::{ComponentsBuilder, OpenApiBuilder};
use utoipa::ToSchema;

use super::super::aggregate::{Aggregate, ShareOfCountries};
use super::super::methods::Assessment;

#[test]
fn output_types_have_openapi_schemas() {
    // `schemas` also collects the types referenced by `$ref`, as `#[derive(OpenApi)]` does.
    let mut nested = Vec::new();
    Assessment::schemas(&mut nested);
    Aggregate::schemas(&mut nested);
    let components = ComponentsBuilder::new()
        .schema_from::<Assessment>()
        .schema_from::<Aggregate>()
        .schema_from::<ShareOfCountries>()
        .schemas_from_iter(nested)
        .build();
    let json = OpenApiBuilder::new().components(Some(components)).build().to_pretty_json().unwrap();
    if std::env::var_os("PRINT_SCHEMA").is_some() {
        println!("{json}");
    }
    for name in [
        "\"unsd_2022\"",
        "\"stagnation_or_regression\"",
        "\"lower_is_better\"",
        "\"weight_share\"",
        "\"projection_reason\"",
    ] {
        assert!(json.contains(name), "{name} missing from schema");
    }
}
