//! Skim's V2 fuzzy score, computed exactly as `fuzzy-matcher` 0.3.7's `SkimMatcherV2::fuzzy_match`
//! computes it with a fresh matcher, without its allocations.
//!
//! Why our own: the crate's matcher allocates on every call when fresh, and when reused it leaks
//! cells of earlier calls into later scores (see [`super::Searcher`]). This is the same dynamic
//! programme (affine gaps, in-place bonuses, the two-row "compressed" matrix), kept in
//! thread-local scratch buffers that are re-initialised for every headline. A property test holds
//! it equal to a fresh `SkimMatcherV2` on random headlines and terms. Match positions for
//! highlighting still come from the crate (`fuzzy_indices`), for the few rows on screen.

use std::cell::RefCell;

// The crate's default SkimScoreConfig.
const SCORE_MATCH: i32 = 16;
const GAP_START: i32 = -3;
const GAP_EXTENSION: i32 = -1;
const BONUS_FIRST_CHAR_MULTIPLIER: i32 = 2;
const BONUS_HEAD: i32 = SCORE_MATCH / 2;
const BONUS_BREAK: i32 = SCORE_MATCH / 2 + GAP_EXTENSION;
const BONUS_CAMEL: i32 = SCORE_MATCH / 2 + 2 * GAP_EXTENSION;
const BONUS_CONSECUTIVE: i32 = -(GAP_START + GAP_EXTENSION);
const PENALTY_CASE_MISMATCH: i32 = GAP_EXTENSION * 2;
const NEG_INFINITY: i32 = i16::MIN as i32;

/// One search term, prepared once per query.
#[derive(Debug, Clone)]
pub struct Pattern {
    chars: Vec<char>,
    /// Smart case: a term with an ASCII capital matches case-sensitively.
    case_sensitive: bool,
    ascii: bool,
}

impl Pattern {
    pub fn new(term: &str) -> Pattern {
        Pattern {
            chars: term.chars().collect(),
            case_sensitive: term.chars().any(|c| c.is_ascii_uppercase()),
            ascii: term.is_ascii(),
        }
    }

    /// The term's score against `choice`, or `None` when it does not match.
    pub fn score(&self, choice: &str) -> Option<i32> {
        if self.chars.is_empty() {
            return Some(0);
        }
        if let [p] = self.chars[..]
            && p.is_ascii()
        {
            return one_ascii_char(choice.as_bytes(), p as u8, self.case_sensitive);
        }
        if let [p0, p1] = self.chars[..]
            && self.ascii
        {
            return two_ascii_chars(choice.as_bytes(), [p0, p1], self.case_sensitive);
        }
        SCRATCH.with(|scratch| {
            let scratch = &mut *scratch.borrow_mut();
            if choice.is_ascii() {
                score(choice.as_bytes(), &self.chars, self.case_sensitive, scratch)
            } else if self.ascii {
                // An ASCII term never matches a non-ASCII char, and skim counts those as lower
                // case letters: one byte each (0x80) is all they need to be. Cheaper than chars.
                let mut bytes = std::mem::take(&mut scratch.bytes);
                bytes.clear();
                // A char's first byte stands for it (continuation bytes dropped): no decoding.
                bytes.extend(choice.bytes().filter(|b| b & 0xc0 != 0x80).map(|b| b.min(0x80)));
                let score = score(&bytes, &self.chars, self.case_sensitive, scratch);
                scratch.bytes = bytes;
                score
            } else {
                let mut chars = std::mem::take(&mut scratch.chars);
                chars.clear();
                chars.extend(choice.chars());
                let score = score(&chars, &self.chars, self.case_sensitive, scratch);
                scratch.chars = chars;
                score
            }
        })
    }
}

/// A headline's characters: bytes of an ASCII headline, or decoded chars.
trait Unit: Copy {
    fn char(self) -> char;
    /// The char as a number, ASCII-lowercased unless the match is case-sensitive: two units
    /// match (in skim's sense) when their folds are equal.
    fn fold(self, case_sensitive: bool) -> u32;
    /// Its character class.
    fn kind(self) -> CharType;
    /// The first unit of `units` whose fold is `wanted`.
    #[inline]
    fn find(units: &[Self], wanted: u32, case_sensitive: bool) -> Option<usize> {
        units.iter().position(|u| u.fold(case_sensitive) == wanted)
    }
}
impl Unit for u8 {
    #[inline]
    fn char(self) -> char {
        char::from(self)
    }
    #[inline]
    fn fold(self, case_sensitive: bool) -> u32 {
        let upper = u8::from(!case_sensitive && self.is_ascii_uppercase());
        u32::from(self | (upper << 5))
    }
    #[inline]
    fn kind(self) -> CharType {
        // 0x80 stands for any non-ASCII char: a lower-case letter to skim.
        if self.is_ascii() { ASCII_TYPES[usize::from(self)] } else { CharType::Lower }
    }
    /// With memchr: a folded lower-case letter is either case of it, anything else itself.
    #[inline]
    fn find(units: &[u8], wanted: u32, case_sensitive: bool) -> Option<usize> {
        let wanted = u8::try_from(wanted).ok()?;
        if !case_sensitive && wanted.is_ascii_lowercase() {
            memchr::memchr2(wanted, wanted.to_ascii_uppercase(), units)
        } else {
            // Folded, an upper-case letter stands for nothing (its lower case would).
            (case_sensitive || !wanted.is_ascii_uppercase()).then(|| memchr::memchr(wanted, units))?
        }
    }
}
impl Unit for char {
    #[inline]
    fn char(self) -> char {
        self
    }
    #[inline]
    fn fold(self, case_sensitive: bool) -> u32 {
        if case_sensitive { u32::from(self) } else { u32::from(self.to_ascii_lowercase()) }
    }
    #[inline]
    fn kind(self) -> CharType {
        if self.is_ascii() { ASCII_TYPES[self as usize] } else { CharType::Lower }
    }
}

/// One row of the score matrix, column by column.
#[derive(Default)]
struct Row {
    m: Vec<i32>,
    p: Vec<i32>,
    bonus: Vec<i32>,
}

impl Row {
    /// Room for `cols` columns. What is there is left as it is: every cell is written before it
    /// is read (see [`score`]).
    fn fit(&mut self, cols: usize) {
        for column in [&mut self.m, &mut self.p, &mut self.bonus] {
            if column.len() < cols {
                column.resize(cols, 0);
            }
        }
    }
}

/// Buffers reused from headline to headline on one thread.
#[derive(Default)]
struct Scratch {
    chars: Vec<char>,
    bytes: Vec<u8>,
    first_matches: Vec<usize>,
    rows: [Row; 2],
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

fn equal(c: char, p: char, case_sensitive: bool) -> bool {
    if case_sensitive { c == p } else { c.eq_ignore_ascii_case(&p) }
}

/// The score of matching `c` with `p` (which are equal up to ASCII case).
fn match_score(c: char, p: char, case_sensitive: bool) -> i32 {
    let mismatch = if !case_sensitive && p != c { PENALTY_CASE_MISMATCH } else { 0 };
    (SCORE_MATCH + mismatch).max(0)
}

/// The score of a one-char ASCII term: its best single match, `-1 + bonus + match score` (see
/// [`score`]), read straight from the UTF-8 bytes. Exact, because no gap enters this score: a
/// non-ASCII char's bytes never equal an ASCII char, and each of them is a lower-case letter to
/// skim (as the char is), so the bonus of the byte after one is that of the char after it.
/// Broad queries start with one char, and a million headlines are scored for it.
fn one_ascii_char(choice: &[u8], p: u8, case_sensitive: bool) -> Option<i32> {
    let wanted = p.fold(case_sensitive);
    let mut best = None;
    let mut from = 0;
    while let Some(at) = u8::find(&choice[from..], wanted, case_sensitive) {
        let j = from + at;
        let c = choice[j];
        let score = GAP_EXTENSION + place_bonus(choice, j) + match_score(char::from(c), char::from(p), case_sensitive);
        best = best.max(Some(score));
        from = j + 1;
    }
    best
}

/// The lowest skip score: where the gap penalties stop.
const SKIP_FLOOR: i32 = GAP_START + GAP_EXTENSION + NEG_INFINITY;

/// skim's two-row dynamic programme, cell for cell, with three shortcuts that change no score:
/// - the matrix is not reset per headline. A fresh matcher's rows are read only where no row of
///   this headline has written yet, which happens in the first two pattern rows only; there the
///   reset values are used as constants (and written where a later row will read them);
/// - the last pattern row is not stored: only the best of its cells is wanted;
/// - a column's in-place bonus is computed when a match needs it, from its char and the one
///   before, instead of for every column up front.
fn score<U: Unit>(choice: &[U], pattern: &[char], case_sensitive: bool, scratch: &mut Scratch) -> Option<i32> {
    // The greedy first match of every pattern char; none means no match at all.
    let first = &mut scratch.first_matches;
    first.clear();
    let mut from = 0;
    for p in pattern {
        let Some(at) = U::find(&choice[from..], p.fold(case_sensitive), case_sensitive) else { break };
        first.push(from + at);
        from += at + 1;
    }
    if first.len() < pattern.len() {
        return None;
    }

    let bonus = |j: usize| place_bonus(choice, j);

    let start = first[0];
    if let [p] = pattern {
        // One char: the matrix reduces to the best single match, `-1 + bonus + match score`.
        return (start..choice.len())
            .filter(|&j| equal(choice[j].char(), *p, case_sensitive))
            .map(|j| GAP_EXTENSION + bonus(j) + match_score(choice[j].char(), *p, case_sensitive))
            .max();
    }

    // Two rows of three columns of numbers: M (best score ending in a match here), P (best score
    // with this char skipped) and the consecutive-match bonus. Before the first pattern row comes
    // the "nothing matched yet" row: M = -inf, P = gap extension, bonus 0 everywhere.
    // Columns after the last match of the last pattern char cannot raise the result: the
    // programme runs on the headline up to there.
    let last_char = pattern[pattern.len() - 1].fold(case_sensitive);
    let len = choice.iter().rposition(|u| u.fold(case_sensitive) == last_char).map_or(choice.len(), |at| at + 1);
    let choice = &choice[..len];
    if let [p0, p1] = pattern {
        return Some(two_chars(choice, [*p0, *p1], case_sensitive, [first[0], first[1]], bonus, |_| false));
    }
    let cols = len + 1;
    let [even, odd] = &mut scratch.rows;
    even.fit(cols);
    odd.fit(cols);
    let last_row = pattern.len() - 1;
    let mut best = NEG_INFINITY;
    for (i, &p) in pattern.iter().enumerate() {
        let (cur, prev) = if i % 2 == 0 { (&mut *odd, &*even) } else { (&mut *even, &*odd) };
        // Rows 0 and 1 land in buffers a fresh matcher has just reset.
        let fresh = i < 2;
        let stored = i != last_row;
        let from = first[i];
        let p_fold = p.fold(case_sensitive);
        // The cell left of the first column: carried in registers from column to column.
        let (mut last_m, mut last_p, mut last_bonus) = match (fresh, i) {
            (true, 0) => (NEG_INFINITY, NEG_INFINITY, 0),
            (true, _) => (NEG_INFINITY, GAP_EXTENSION, 0),
            (false, _) => (cur.m[from], cur.p[from], cur.bonus[from]),
        };
        if !stored {
            // skim's result is the best cell of the last row from this column on.
            best = last_m;
        }
        let mut j = from;
        while j < len {
            // Columns up to the next match of `p` are mismatches: no match score, no bonus, and a
            // skip score that only decays (by the gap extension, down to a floor).
            let next = U::find(&choice[j..], p_fold, case_sensitive).map_or(len, |at| j + at);
            if next > j {
                let skip = (GAP_START + GAP_EXTENSION + last_m).max(GAP_EXTENSION + last_p);
                let decayed = |k: usize| (skip + GAP_EXTENSION * k.min(1 << 20) as i32).max(SKIP_FLOOR);
                if stored {
                    cur.m[j + 1..=next].fill(NEG_INFINITY);
                    cur.bonus[j + 1..=next].fill(0);
                    for (k, cell) in cur.p[j + 1..=next].iter_mut().enumerate() {
                        *cell = decayed(k);
                    }
                }
                (last_m, last_p, last_bonus) = (NEG_INFINITY, decayed(next - j - 1), 0);
                j = next;
                if j == len {
                    break;
                }
            }
            // A match of `p` at column j + 1.
            let col = j + 1;
            let c = choice[j].char();
            let in_place = bonus(j);
            let consecutive = last_bonus.max(in_place.max(BONUS_CONSECUTIVE));
            let (prev_m, prev_p) = if i == 0 { (NEG_INFINITY, GAP_EXTENSION) } else { (prev.m[j], prev.p[j]) };
            let m = (prev_m + consecutive).max(prev_p + in_place) + match_score(c, p, case_sensitive);
            let skip = (GAP_START + GAP_EXTENSION + last_m).max(GAP_EXTENSION + last_p);
            // skim leaves this cell's bonus as it was (the reset value in a fresh row): the next
            // match reads it.
            let left_bonus = if fresh { 0 } else { cur.bonus[col] };
            if stored {
                cur.bonus[j] = consecutive;
                cur.m[col] = m;
                cur.p[col] = skip;
                if fresh {
                    cur.bonus[col] = 0;
                }
            } else {
                best = best.max(m);
            }
            (last_m, last_p, last_bonus) = (m, skip, left_bonus);
            j += 1;
        }
    }
    Some(best)
}

/// [`score`] for a two-char term, in one pass with nothing stored. Both rows of the programme are
/// fresh (nothing of an earlier headline is read), so each is a plain recurrence: row 0 at column
/// c + 1 is `M = -1 + bonus + match score` where char c matches, else -inf, and
/// `P = max(M(c) - 4, P(c) - 1, floor)`; row 1 scores a match of char c from row 0's values at
/// column c, with the consecutive bonus `max(bonus, 4)`. The result is row 1's best match.
/// Held equal to the full programme (and to `SkimMatcherV2`) by the property tests.
/// `not_a_column` says which units are no column of the programme (continuation bytes, when
/// it runs on UTF-8: see [`two_ascii_chars`]).
fn two_chars<U: Unit>(
    choice: &[U],
    [p0, p1]: [char; 2],
    case_sensitive: bool,
    first: [usize; 2],
    bonus: impl Fn(usize) -> i32,
    not_a_column: impl Fn(U) -> bool,
) -> i32 {
    let (fold0, fold1) = (p0.fold(case_sensitive), p1.fold(case_sensitive));
    // Row 0 at the column before char j: nothing matched yet.
    let (mut m0, mut p0_skip) = (NEG_INFINITY, NEG_INFINITY);
    let mut best = NEG_INFINITY;
    for (j, &u) in choice.iter().enumerate().skip(first[0]) {
        if not_a_column(u) {
            continue;
        }
        let folded = u.fold(case_sensitive);
        let matches0 = folded == fold0;
        let matches1 = j >= first[1] && folded == fold1;
        // Row 0 at the next column: the skip score, and the match score where char j matches.
        let skip = (GAP_START + GAP_EXTENSION + m0).max(GAP_EXTENSION + p0_skip).max(SKIP_FLOOR);
        let mut m0_next = NEG_INFINITY;
        if matches0 || matches1 {
            let c = u.char();
            let in_place = bonus(j);
            if matches1 {
                let consecutive = in_place.max(BONUS_CONSECUTIVE);
                let m1 = (m0 + consecutive).max(p0_skip + in_place) + match_score(c, p1, case_sensitive);
                best = best.max(m1);
            }
            if matches0 {
                m0_next = GAP_EXTENSION + in_place + match_score(c, p0, case_sensitive);
            }
        }
        (m0, p0_skip) = (m0_next, skip);
    }
    best
}

/// The score of a two-char ASCII term, read straight from the UTF-8 bytes: each char is one
/// column, its first byte (continuation bytes are no column), and a non-ASCII char's first byte
/// is, like the char, a lower-case letter to skim that no ASCII char matches. So the programme
/// sees what it sees on the chars, without a copy of the headline.
fn two_ascii_chars(choice: &[u8], [p0, p1]: [char; 2], case_sensitive: bool) -> Option<i32> {
    let first0 = u8::find(choice, p0.fold(case_sensitive), case_sensitive)?;
    let first1 = first0 + 1 + u8::find(&choice[first0 + 1..], p1.fold(case_sensitive), case_sensitive)?;
    let bonus = |j: usize| place_bonus(choice, j);
    Some(two_chars(choice, [p0, p1], case_sensitive, [first0, first1], bonus, |b| b & 0xc0 == 0x80))
}

/// Character classes, as skim has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CharType {
    Empty,
    Upper,
    Lower,
    Number,
    HardSep,
    SoftSep,
}

impl CharType {
    const fn of(c: char) -> CharType {
        match c {
            '\0' => CharType::Empty,
            ' ' | '/' | '\\' | '|' | '(' | ')' | '[' | ']' | '{' | '}' => CharType::HardSep,
            '!'..='\'' | '*'..='.' | ':'..='@' | '^'..='`' | '~' => CharType::SoftSep,
            '0'..='9' => CharType::Number,
            'A'..='Z' => CharType::Upper,
            _ => CharType::Lower,
        }
    }
}

/// The class of every ASCII char, looked up instead of matched.
static ASCII_TYPES: [CharType; 128] = {
    let mut types = [CharType::Lower; 128];
    let mut c = 0;
    while c < 128 {
        types[c] = CharType::of(c as u8 as char);
        c += 1;
    }
    types
};

/// The in-place bonus of column j + 1 (`choice[j]`): word heads, breaks, camel humps, doubled
/// for the very first char.
#[inline]
fn place_bonus<U: Unit>(choice: &[U], j: usize) -> i32 {
    let prev = if j == 0 { CharType::Empty } else { choice[j - 1].kind() };
    let bonus = in_place_bonus(prev, choice[j].kind());
    if j == 0 { bonus * BONUS_FIRST_CHAR_MULTIPLIER } else { bonus }
}

/// The bonus for matching a char in its place: word heads, breaks after punctuation, camel humps.
#[inline]
fn in_place_bonus(prev: CharType, cur: CharType) -> i32 {
    match (prev, cur) {
        (CharType::Empty | CharType::HardSep, _) => BONUS_HEAD,
        (CharType::SoftSep, _) => BONUS_BREAK,
        (CharType::Lower | CharType::Number, CharType::Upper) => BONUS_CAMEL,
        _ => 0,
    }
}
