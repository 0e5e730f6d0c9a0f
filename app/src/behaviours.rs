//! The markup of the page parts that the browser's small WebAssembly brings to
//! life (`kring_domain::behaviour`, `kring_browser::behaviours`): each is a
//! plain element that works, or stays quiet, without it. The forum's live
//! parts are in `forum::behaviours`.

use kring_domain::behaviour::Behaviour;
use leptos::prelude::*;

/// A time-zone field that starts with the server's guess and, once the page's
/// code has loaded, takes the browser's own zone (`Intl`), so a new member
/// rarely has to type it.
#[component]
pub fn BrowserTimeZone(name: String, value: String) -> impl IntoView {
    let behaviour = Behaviour::BrowserZone;
    view! {
        <input type="text" name=name required autocomplete="off" spellcheck="false" value=value
            data-behaviour=behaviour.name() data-props=behaviour.props()/>
    }
}

/// For visitors whose zone the server does not know yet: remembers the
/// browser's zone in a cookie and reloads once, so this page and every later
/// one arrive from the server already in local time.
#[component]
pub fn ZoneCookie() -> impl IntoView {
    view! { <Marker behaviour=Behaviour::ZoneCookie/> }
}

/// Tells the server, once the page is on screen, that its reader saw it: a
/// post of `fields` to the server function at `action`. Loading a page changes
/// nothing by itself, so a link or an image pointing at it cannot either.
#[component]
pub fn ReportSeen(action: String, fields: Vec<(String, String)>) -> impl IntoView {
    view! { <Marker behaviour=Behaviour::ReportSeen { action, fields }/> }
}

/// An empty element that only names a behaviour acting on the whole page.
#[component]
fn Marker(behaviour: Behaviour) -> impl IntoView {
    view! { <span hidden data-behaviour=behaviour.name() data-props=behaviour.props()></span> }
}

/// The behaviour that `html`'s first element names, read as the browser
/// reads it (after the HTML parser has undone the escaping).
#[cfg(test)]
pub(crate) fn named_in(html: &str) -> Option<Behaviour> {
    use kring_domain::behaviour::{NAME_ATTRIBUTE, PROPS_ATTRIBUTE};
    let attribute = |name: &str| {
        let (_, rest) = html.split_once(&format!("{name}=\""))?;
        let (value, _) = rest.split_once('"')?;
        Some(
            value
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&#x27;", "'")
                .replace("&#39;", "'")
                .replace("&amp;", "&"),
        )
    };
    Behaviour::read(&attribute(NAME_ATTRIBUTE)?, &attribute(PROPS_ATTRIBUTE)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_part_names_its_behaviour_as_the_browser_reads_it() {
        let owner = Owner::new();
        let seen = Behaviour::ReportSeen {
            action: "/api/record_visit".to_owned(),
            fields: vec![("unit".to_owned(), "12&\"<b>".to_owned())],
        };
        let html = owner.with(|| {
            view! { <ReportSeen action="/api/record_visit".to_owned() fields=vec![("unit".to_owned(), "12&\"<b>".to_owned())]/> }
                .to_html()
        });
        assert_eq!(named_in(&html), Some(seen));
        let html = owner.with(|| view! { <ZoneCookie/> }.to_html());
        assert_eq!(named_in(&html), Some(Behaviour::ZoneCookie));
        let html = owner.with(|| {
            view! { <BrowserTimeZone name="time_zone".to_owned() value="UTC".to_owned()/> }
                .to_html()
        });
        assert_eq!(named_in(&html), Some(Behaviour::BrowserZone));
        assert!(html.contains("value=\"UTC\""), "{html}");
    }
}
