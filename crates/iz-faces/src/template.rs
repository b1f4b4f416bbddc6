//! A validated face template.

use thiserror::Error;

/// The dimension cameras send unless an installation configures another.
pub const DEFAULT_DIMENSION: usize = 512;

/// How far a template's L2 norm may be from 1 and still count as normalised (the same
/// tolerance `iz-model` applies at ingest).
pub const NORM_TOLERANCE: f64 = 1e-3;

/// Why a vector is not a usable face template.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum TemplateError {
    #[error("the template has {got} components; expected {expected}")]
    WrongDimension { expected: usize, got: usize },
    #[error("component {index} is {value}, not a finite number")]
    NonFinite { index: usize, value: f32 },
    #[error("the template's L2 norm is {norm}, not 1 ± {NORM_TOLERANCE}")]
    NotNormalised { norm: f64 },
    #[error("the dimension must be at least 1")]
    ZeroDimension,
}

/// An L2-normalised face embedding whose every component is finite.
///
/// Holding a `Template` is proof that it passed validation, so search code never re-checks.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    values: Vec<f32>,
}

impl Template {
    /// Validates `values` as a template of [`DEFAULT_DIMENSION`] components.
    pub fn new(values: Vec<f32>) -> Result<Self, TemplateError> {
        Self::with_dimension(values, DEFAULT_DIMENSION)
    }

    /// Validates `values` as a template of `dimension` components: dimension first, then every
    /// component finite (the first bad index is named), then the norm within 1 ± 1e-3.
    /// Never panics, whatever the input.
    pub fn with_dimension(values: Vec<f32>, dimension: usize) -> Result<Self, TemplateError> {
        check(&values, dimension)?;
        Ok(Template { values })
    }

    /// Scales `values` to unit length and validates the result; for enrolment tools that
    /// receive raw embeddings. A zero vector is refused as not normalised (norm 0).
    pub fn normalising(mut values: Vec<f32>, dimension: usize) -> Result<Self, TemplateError> {
        if dimension == 0 {
            return Err(TemplateError::ZeroDimension);
        }
        if values.len() != dimension {
            return Err(TemplateError::WrongDimension {
                expected: dimension,
                got: values.len(),
            });
        }
        finite(&values)?;
        let norm = l2_norm(&values);
        if norm > 0.0 && norm.is_finite() {
            for v in &mut values {
                *v = (f64::from(*v) / norm) as f32;
            }
        }
        Self::with_dimension(values, dimension)
    }

    /// The components.
    pub fn as_slice(&self) -> &[f32] {
        &self.values
    }

    pub fn dimension(&self) -> usize {
        self.values.len()
    }

    /// Gives the components back (the caller decides whether to keep them; this crate never does).
    pub fn into_vec(self) -> Vec<f32> {
        self.values
    }
}

/// The checks of [`Template::with_dimension`] on a borrowed slice.
pub fn check(values: &[f32], dimension: usize) -> Result<(), TemplateError> {
    if dimension == 0 {
        return Err(TemplateError::ZeroDimension);
    }
    if values.len() != dimension {
        return Err(TemplateError::WrongDimension {
            expected: dimension,
            got: values.len(),
        });
    }
    finite(values)?;
    let norm = l2_norm(values);
    if (norm - 1.0).abs() > NORM_TOLERANCE {
        return Err(TemplateError::NotNormalised { norm });
    }
    Ok(())
}

fn finite(values: &[f32]) -> Result<(), TemplateError> {
    match values.iter().position(|x| !x.is_finite()) {
        Some(index) => Err(TemplateError::NonFinite {
            index,
            value: values[index],
        }),
        None => Ok(()),
    }
}

/// The L2 norm in f64: squares of finite f32 cannot overflow there.
pub(crate) fn l2_norm(values: &[f32]) -> f64 {
    values
        .iter()
        .map(|x| f64::from(*x) * f64::from(*x))
        .sum::<f64>()
        .sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_what_is_wrong() {
        let e = Template::with_dimension(vec![1.0, 0.0], 3).err();
        assert_eq!(
            e,
            Some(TemplateError::WrongDimension {
                expected: 3,
                got: 2
            })
        );
        let e = Template::with_dimension(vec![1.0, f32::NAN, 0.0], 3).err();
        assert!(matches!(e, Some(TemplateError::NonFinite { index: 1, .. })));
        let e = Template::with_dimension(vec![1.0, 1.0, 0.0], 3).err();
        assert!(
            matches!(e, Some(TemplateError::NotNormalised { norm }) if (norm - 2f64.sqrt()).abs() < 1e-9)
        );
        assert!(Template::with_dimension(vec![0.6, 0.8, 0.0], 3).is_ok());
    }
}
