//! The estimation part of a progress or aggregate query: the method and its horizons.

use crate::domain::estimation::{Estimation, EstimationMethod, DEFAULT_HORIZON, DEFAULT_TREND_YEARS};
use crate::error::ApiError;

/// Most years a value may be carried, or a trend extrapolated.
pub const MAX_HORIZON: u32 = 10;
/// Most reported years a trend may be fitted on.
pub const MAX_TREND_YEARS: u32 = 10;

/// The estimation fields of a query, as given.
#[derive(Debug, Clone, Copy, Default)]
pub struct EstimationQuery {
    /// `?estimation=`.
    pub method: Option<EstimationMethod>,
    /// `?carry_forward=N`: the `carry_forward` method with horizon N (kept from before
    /// estimation methods were named).
    pub carry_forward: Option<u32>,
    /// `?horizon=`.
    pub horizon: Option<u32>,
    /// `?trend_years=`.
    pub trend_years: Option<u32>,
}

fn out_of_range(code: &'static str, name: &str, min: u32, max: u32) -> ApiError {
    ApiError::bad_request(code, format!("{name} must be between {min} and {max}"))
}

impl EstimationQuery {
    /// The estimation asked for; `trend` with five-year horizons by default.
    pub fn parse(self) -> Result<Estimation, ApiError> {
        if self.carry_forward.is_some_and(|n| n > MAX_HORIZON) {
            return Err(out_of_range("invalid_carry_forward", "carry_forward", 0, MAX_HORIZON));
        }
        if self.horizon.is_some_and(|n| n > MAX_HORIZON) {
            return Err(out_of_range("invalid_horizon", "horizon", 0, MAX_HORIZON));
        }
        if self.trend_years.is_some_and(|n| n == 0 || n > MAX_TREND_YEARS) {
            return Err(out_of_range("invalid_trend_years", "trend_years", 1, MAX_TREND_YEARS));
        }
        let conflict = |detail: &str| Err(ApiError::bad_request("conflicting_estimation", detail.to_string()));
        let method = match (self.method, self.carry_forward) {
            (Some(m), Some(_)) if m != EstimationMethod::CarryForward => {
                return conflict(
                    "carry_forward=N is the carry_forward method; do not combine it with another estimation",
                );
            }
            (_, Some(n)) if self.horizon.is_some_and(|h| h != n) => {
                return conflict("carry_forward=N sets the horizon; give one of carry_forward and horizon");
            }
            (Some(m), _) => m,
            (None, Some(_)) => EstimationMethod::CarryForward,
            (None, None) => EstimationMethod::default(),
        };
        let horizon = self.carry_forward.or(self.horizon).unwrap_or(DEFAULT_HORIZON);
        Ok(match method {
            EstimationMethod::None => Estimation::NONE,
            EstimationMethod::CarryForward => Estimation::carry_forward(horizon),
            EstimationMethod::Trend => Estimation::trend(horizon, self.trend_years.unwrap_or(DEFAULT_TREND_YEARS)),
        })
    }
}
