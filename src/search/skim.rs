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
}

impl Pattern {
    pub fn new(term: &str) -> Pattern {
        Pattern { chars: term.chars().collect(), case_sensitive: term.chars().any(|c| c.is_ascii_uppercase()) }
    }

    /// The term's score against `choice`, or `None` when it does not match.
    pub fn score(&self, choice: &str) -> Option<i32> {
        if self.chars.is_empty() {
            return Some(0);
        }
        SCRATCH.with(|scratch| {
            let scratch = &mut *scratch.borrow_mut();
            if choice.is_ascii() {
                score(choice.as_bytes(), &self.chars, self.case_sensitive, scratch)
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
}
impl Unit for u8 {
    fn char(self) -> char {
        char::from(self)
    }
}
impl Unit for char {
    fn char(self) -> char {
        self
    }
}

#[derive(Debug, Clone, Copy)]
struct Cell {
    m: i32,
    p: i32,
    bonus: i32,
}

const EMPTY: Cell = Cell { m: NEG_INFINITY, p: NEG_INFINITY, bonus: 0 };

/// Buffers reused from headline to headline on one thread.
#[derive(Default)]
struct Scratch {
    chars: Vec<char>,
    first_matches: Vec<usize>,
    bonuses: Vec<i32>,
    rows: [Vec<Cell>; 2],
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

fn equal(c: char, p: char, case_sensitive: bool) -> bool {
    if case_sensitive { c == p } else { c.eq_ignore_ascii_case(&p) }
}

fn score<U: Unit>(choice: &[U], pattern: &[char], case_sensitive: bool, scratch: &mut Scratch) -> Option<i32> {
    // The greedy first match of every pattern char; none means no match at all.
    let first = &mut scratch.first_matches;
    first.clear();
    let mut next = pattern.iter().peekable();
    for (at, &c) in choice.iter().enumerate() {
        match next.peek() {
            Some(&&p) if equal(c.char(), p, case_sensitive) => {
                first.push(at);
                next.next();
            }
            Some(_) => {}
            None => break,
        }
    }
    if next.peek().is_some() {
        return None;
    }

    let cols = choice.len() + 1;
    let bonuses = &mut scratch.bonuses;
    bonuses.clear();
    bonuses.push(0);
    let mut prev = CharType::Empty;
    for &c in choice {
        let kind = CharType::of(c.char());
        bonuses.push(in_place_bonus(prev, kind));
        prev = kind;
    }
    if cols > 1 {
        bonuses[1] *= BONUS_FIRST_CHAR_MULTIPLIER;
    }

    // A fresh two-row matrix, as a new matcher has: row 0 is the "nothing matched yet" row.
    let [row0, row1] = &mut scratch.rows;
    row0.clear();
    row0.resize(cols, Cell { p: GAP_EXTENSION, ..EMPTY });
    row1.clear();
    row1.resize(cols, EMPTY);

    for (i, &p) in pattern.iter().enumerate() {
        let (cur, prev): (&mut [Cell], &[Cell]) = if i % 2 == 0 { (row1, row0) } else { (row0, row1) };
        for j in first[i]..choice.len() {
            let c = choice[j].char();
            let col = j + 1;
            if equal(c, p, case_sensitive) {
                let in_place = bonuses[col];
                let consecutive = cur[j].bonus.max(in_place.max(BONUS_CONSECUTIVE));
                cur[j].bonus = consecutive;
                let by_match = prev[j].m + consecutive;
                let by_skip = prev[j].p + in_place;
                let mismatch = if !case_sensitive && p != c { PENALTY_CASE_MISMATCH } else { 0 };
                cur[col].m = by_match.max(by_skip) + (SCORE_MATCH + mismatch).max(0);
            } else {
                cur[col].m = NEG_INFINITY;
                cur[col].bonus = 0;
            }
            cur[col].p = (GAP_START + GAP_EXTENSION + cur[j].m).max(GAP_EXTENSION + cur[j].p);
        }
    }
    let last = if pattern.len() % 2 == 1 { &scratch.rows[1] } else { &scratch.rows[0] };
    last[first[pattern.len() - 1]..].iter().map(|cell| cell.m).max()
}

/// Character classes, as skim has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharType {
    Empty,
    Upper,
    Lower,
    Number,
    HardSep,
    SoftSep,
}

impl CharType {
    fn of(c: char) -> CharType {
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

/// The bonus for matching a char in its place: word heads, breaks after punctuation, camel humps.
fn in_place_bonus(prev: CharType, cur: CharType) -> i32 {
    match (prev, cur) {
        (CharType::Empty | CharType::HardSep, _) => BONUS_HEAD,
        (CharType::SoftSep, _) => BONUS_BREAK,
        (CharType::Lower | CharType::Number, CharType::Upper) => BONUS_CAMEL,
        _ => 0,
    }
}
