use iz_faces::{Gallery, GalleryError, Template, TemplateError};

#[test]
fn wrong_dimension_says_expected_and_got() {
    let e = Template::new(vec![1.0; 3]).err();
    assert_eq!(
        e,
        Some(TemplateError::WrongDimension {
            expected: 512,
            got: 3
        })
    );
    let msg = e.map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.contains("512") && msg.contains('3'), "{msg}");
}

#[test]
fn non_finite_component_says_which() {
    let mut v = vec![0.0f32; 512];
    v[0] = 1.0;
    v[300] = f32::INFINITY;
    let e = Template::new(v).err();
    assert!(
        matches!(e, Some(TemplateError::NonFinite { index: 300, .. })),
        "{e:?}"
    );
}

#[test]
fn unnormalised_says_the_norm() {
    let e = Template::with_dimension(vec![3.0, 4.0], 2).err();
    assert_eq!(e, Some(TemplateError::NotNormalised { norm: 5.0 }));
    assert!(e.map(|e| e.to_string()).unwrap_or_default().contains('5'));
}

#[test]
fn norm_tolerance_is_one_per_mille() {
    assert!(Template::with_dimension(vec![1.0009, 0.0], 2).is_ok());
    assert!(Template::with_dimension(vec![1.0011, 0.0], 2).is_err());
    assert!(Template::with_dimension(vec![0.9991, 0.0], 2).is_ok());
    assert!(Template::with_dimension(vec![0.9989, 0.0], 2).is_err());
}

#[test]
fn zero_vector_cannot_be_normalised() {
    let e = Template::normalising(vec![0.0; 4], 4).err();
    assert_eq!(e, Some(TemplateError::NotNormalised { norm: 0.0 }));
}

#[test]
fn gallery_refuses_other_dimensions() {
    let mut g = Gallery::new(4).expect("dimension");
    let t = Template::with_dimension(vec![1.0, 0.0, 0.0], 3).expect("valid");
    assert_eq!(
        g.enroll(1, &t),
        Err(GalleryError::DimensionMismatch {
            expected: 4,
            got: 3
        })
    );
    assert_eq!(
        g.search(&t, 1),
        Err(GalleryError::DimensionMismatch {
            expected: 4,
            got: 3
        })
    );
    assert_eq!(Gallery::new(0).err(), Some(GalleryError::ZeroDimension));
}
