//! Broadsheet: a terminal news browser.
//!
//! Data flows one way: [`source`] loads files into a [`collection::Collection`] of [`article`]s,
//! [`search`] ranks headlines, [`app`] holds the state and changes only through
//! [`app::App::update`], [`keys`] maps key presses to actions, and [`ui`] draws `&App`.

pub mod app;
pub mod article;
pub mod bidi;
pub mod collection;
pub mod commands;
pub mod corpus;
pub mod fetch;
pub mod inputs;
pub mod keys;
pub mod launch;
pub mod layout;
pub mod library;
pub mod net;
pub mod page;
pub mod sanitize;
pub mod search;
pub mod source;
pub mod subscriptions;
pub mod timing;
pub mod ui;
