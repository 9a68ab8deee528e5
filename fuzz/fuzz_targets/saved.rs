//! A feed entry as the library stores it (`source::saved`), read back from any bytes (a damaged
//! or hostile library file): an entry or `None`, never a panic or an allocation of what a
//! length claims; and every entry that reads back is written and read back the same again (but
//! for a summary beside content, which is not written) and makes the same article.
#![no_main]

use broadsheet::source::feed::{self, Entry};
use broadsheet::source::saved;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Some(entry) = saved::decode(bytes) {
        let again = saved::decode(&saved::encode(&entry)).expect("what was written reads back");
        let kept = if entry.content.is_some() { Entry { summary: None, ..entry.clone() } } else { entry.clone() };
        assert_eq!(format!("{again:?}"), format!("{kept:?}"));
        let article = |e: &Entry<'_>| format!("{:?}", feed::article(e, Some("Fuzz")));
        assert_eq!(article(&again), article(&entry));
        let _ = saved::restore(bytes, Some("Fuzz"));
    }
});
