//! The OpenAPI document, generated from the handlers' annotations and the model's schemas.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Iz", description = "Digital-trace platform: events in, lawful watch-lists, alerts for human review, everything audited."),
    paths(
        routes::health, routes::metrics, routes::openapi_json, routes::stats,
        routes::events::post_events,
        routes::watch::add, routes::watch::list, routes::watch::get_one, routes::watch::withdraw,
        routes::import::import, routes::series::series,
        routes::alerts::list, routes::alerts::get_one, routes::alerts::review, routes::alerts::stream,
        routes::session::sign_in, routes::session::current, routes::session::sign_out,
        routes::audit::search, routes::audit::verify, routes::audit::access,
        routes::supervision::enrol_person, routes::supervision::caseload, routes::supervision::person,
        routes::supervision::restrictions, routes::supervision::release, routes::supervision::pings,
        routes::supervision::sightings, routes::supervision::check_ins, routes::supervision::violations,
        routes::supervision::handle_violation, routes::supervision::referrals, routes::supervision::move_referral,
        routes::drones::put_licences, routes::drones::get_licences, routes::drones::detections,
        routes::drones::incidents, routes::drones::close_incident,
        routes::fraud::events, routes::fraud::decide, routes::fraud::cases, routes::fraud::handle_case,
        routes::fraud::add_listing, routes::fraud::listings, routes::fraud::withdraw_listing,
        routes::fraud::overview, routes::fraud::get_config, routes::fraud::put_config, routes::fraud::stop_dry_run,
    ),
    components(schemas(iz_model::EventInput, iz_model::PersonInput, iz_model::DocumentInput, iz_model::Place, iz_model::Person, iz_model::Document,
        iz_model::Rejection, iz_store::EventCount)),
    modifiers(&BearerAuth),
    tags((name = "events", description = "Intake"), (name = "watchlist", description = "Lawful watch entries"),
        (name = "alerts", description = "Hits for human review"), (name = "stats"), (name = "session", description = "Console sign-in"), (name = "oversight", description = "The audit log"), (name = "supervision", description = "Probation: restrictions, observations, violations, referrals"), (name = "drones", description = "Licensed areas, drone detections, incidents"), (name = "fraud", description = "Anti-fraud centre: events, decisions, cases, block-lists, configuration"), (name = "operations"))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
