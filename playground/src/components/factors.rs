//! The factors behind a risk score, each with its points.

use leptos::prelude::*;
use portcullis::Factor;

/// The factors of a verdict as a table: name, points, why; and their sum.
#[component]
pub fn FactorList(
    /// The factors, in the engine's order.
    #[prop(into)]
    factors: Signal<Vec<Factor>>,
) -> impl IntoView {
    let total = move || factors.with(|f| f.iter().map(|f| f.points).sum::<i32>());
    view! {
        <table class="factors" data-testid="factors">
            <caption class="sr-only">"Risk factors and their points"</caption>
            <thead>
                <tr>
                    <th scope="col">"Factor"</th>
                    <th scope="col" class="num">"Points"</th>
                    <th scope="col">"Why"</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    factors
                        .get()
                        .into_iter()
                        .map(|f| {
                            let sign = if f.points > 0 { "+" } else { "" };
                            view! {
                                <tr data-testid="factor" data-name=f.name.clone() data-points=f.points>
                                    <th scope="row"><code>{f.name.clone()}</code></th>
                                    <td class="num" class:neg=f.points < 0>{format!("{sign}{}", f.points)}</td>
                                    <td>{f.detail.clone()}</td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
            <tfoot>
                <tr>
                    <th scope="row">"Sum"</th>
                    <td class="num">{total}</td>
                    <td>
                        {move || {
                            let t = total();
                            if (0..=100).contains(&t) { String::new() } else { format!("clamped to {}", t.clamp(0, 100)) }
                        }}
                    </td>
                </tr>
            </tfoot>
        </table>
    }
}
