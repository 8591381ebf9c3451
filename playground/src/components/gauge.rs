//! The 0–100 risk score as a dial with the four bands.

use leptos::prelude::*;
use portcullis::RiskLevel;

const CX: f64 = 60.0;
const CY: f64 = 60.0;
const R: f64 = 48.0;

/// The point on the dial for a score.
fn point(score: f64, radius: f64) -> (f64, f64) {
    let angle = std::f64::consts::PI * (1.0 - score / 100.0);
    (CX + radius * angle.cos(), CY - radius * angle.sin())
}

/// An SVG arc from one score to another.
fn arc(from: f64, to: f64) -> String {
    let (x1, y1) = point(from, R);
    let (x2, y2) = point(to, R);
    format!("M {x1:.2} {y1:.2} A {R} {R} 0 0 1 {x2:.2} {y2:.2}")
}

/// The risk score as a dial: bands low (0–30), medium (31–69), high
/// (70–89), critical (90–100), a needle at the score, and the level in words.
#[component]
pub fn ScoreGauge(
    /// The score, 0–100.
    #[prop(into)]
    score: Signal<u8>,
    /// The band of the score.
    #[prop(into)]
    level: Signal<RiskLevel>,
) -> impl IntoView {
    let needle = move || {
        let (x, y) = point(f64::from(score.get()), R - 10.0);
        format!("M {CX} {CY} L {x:.2} {y:.2}")
    };
    view! {
        <div
            class="gauge"
            role="meter"
            aria-label="Risk score"
            aria-valuemin="0"
            aria-valuemax="100"
            aria-valuenow=move || score.get()
            aria-valuetext=move || format!("{} of 100, {} risk", score.get(), level.get().as_str())
        >
            <svg viewBox="0 0 120 68" aria-hidden="true" focusable="false">
                <path class="band low" d=arc(0.0, 30.0)></path>
                <path class="band medium" d=arc(30.5, 69.5)></path>
                <path class="band high" d=arc(70.0, 89.5)></path>
                <path class="band critical" d=arc(90.0, 100.0)></path>
                <path class="needle" d=needle></path>
                <circle class="hub" cx=CX cy=CY r="4"></circle>
            </svg>
            <div class="gauge-text">
                <span class="score" data-testid="score">{move || score.get()}</span>
                <span class="of">"/100"</span>
                <span class=move || format!("level {}", level.get().as_str()) data-testid="risk-level">
                    {move || level.get().as_str()}
                </span>
            </div>
        </div>
    }
}
