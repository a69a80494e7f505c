"""The paper's "average rejection rate" column: several models' mean refusal rate on one set.

    falsereject stats xstest --data-path xstest=x.csv --rejection-rate-models openai/a,openai/b

Each model runs the ordinary benchmark on the whole set (`falsereject.bench.run_benchmark`, so
run folders, the call cache and resume behave as in `bench`), the chosen judge grades the
answers, and the column is the mean over models of the refusal rate on the set's benign
prompts (Refusal / scored). A set without benign prompts has no rejection rate.
"""

from __future__ import annotations

from falsereject.errors import FalseRejectError
from falsereject.stats.config import StatsConfig


def model_rejection_rate(
    spec: str, model: str, config: StatsConfig, *, progress: bool = False
) -> float | None:
    """Refusal rate of `model` on the benign prompts of `spec` (None: none scored)."""
    from falsereject.bench import BenchConfig, run_benchmark
    from falsereject.models.types import GenerateConfig

    generate = GenerateConfig().merged(max_tokens=config.max_tokens)
    bench = BenchConfig(
        model=model,
        base_url=config.base_url,
        datasets=[spec],
        data_path={spec: config.data_path[spec]} if spec in config.data_path else {},
        prompt_column=config.prompt_column,
        category_column=config.category_column,
        judge=config.judge,
        judge_base_url=config.judge_base_url,
        cache_dir=config.cache_dir,
        generate=generate,
    )
    result = run_benchmark(bench, progress=progress)
    benign = result.metrics.overall.get("benign")
    return benign.refusal_rate.value if benign is not None else None


def mean_rejection_rate(spec: str, config: StatsConfig, *, progress: bool = False) -> float | None:
    """Mean of `model_rejection_rate` over `config.rejection_rate_models`."""
    rates = [
        model_rejection_rate(spec, model, config, progress=progress)
        for model in config.rejection_rate_models
    ]
    if all(rate is None for rate in rates):
        return None
    if any(rate is None for rate in rates):
        missing = [m for m, r in zip(config.rejection_rate_models, rates, strict=True) if r is None]
        raise FalseRejectError(
            f"{spec}: no benign answer could be scored for {', '.join(missing)}; "
            "see their run folders"
        )
    return sum(rates) / len(rates)
