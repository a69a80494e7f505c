"""The LLM judge: any `provider/model` grading answers with FalseReject's rubric.

    from falsereject.judge import get_judge
    judge = get_judge("openai/gpt-4o", base_url=None)
    [j] = judge.judge_sync([JudgeInput(prompt="...", response="...")])

Calls go through `falsereject.models.Model`, so the judge shares the call cache, bounded
concurrency and retries with everything else. Temperature is 0. An answer that is not exactly
one `[[Class]]` gets ONE follow-up turn (the chat plus a reminder, so its cache key differs);
if that fails too the verdict is `unparseable`, with the judge's text kept in `raw`. A call
that fails after the model layer's retries is an `error` verdict.
"""

from __future__ import annotations

from collections.abc import Callable

from falsereject.judge.parse import Parsed, parse_verdict
from falsereject.judge.rubric import FOLLOW_UP, judge_messages
from falsereject.judge.types import Judge, JudgeInput, Judgment
from falsereject.models import ChatMessage, ChatRequest, ChatResult, GenerateConfig, Model

JUDGE_CONFIG = GenerateConfig(temperature=0.0, max_tokens=512)


class LLMJudge(Judge):
    """Grades answers with a chat model; `name` is the model's `provider/model`."""

    def __init__(self, model: Model, *, config: GenerateConfig | None = None) -> None:
        self.model = model
        self.name = model.name
        self.config = config or JUDGE_CONFIG

    def _request(self, item: JudgeInput, retry_of: str | None = None) -> ChatRequest:
        messages = [ChatMessage(role=r, content=c) for r, c in judge_messages(item)]
        if retry_of is not None:
            messages += [
                # some servers reject an empty assistant turn
                ChatMessage(role="assistant", content=retry_of or "(no answer)"),
                ChatMessage(role="user", content=FOLLOW_UP),
            ]
        return ChatRequest(messages=messages, config=self.config)

    def _judgment(self, result: ChatResult, *, final: bool) -> Judgment | None:
        """The judgment for one result, or None when it is unparseable and may be retried."""
        if not result.ok:
            return Judgment(verdict="error", judge=self.name, rationale=result.error)
        parsed: Parsed = parse_verdict(result.text)
        if parsed.verdict is not None:
            return Judgment(
                verdict=parsed.verdict,
                judge=self.name,
                rationale=parsed.rationale,
                raw=result.text,
            )
        if not final:
            return None
        return Judgment(
            verdict="unparseable",
            judge=self.name,
            rationale=f"{parsed.reason} (after one retry)",
            raw=result.text,
        )

    async def judge(
        self, items: list[JudgeInput], *, progress: Callable[[Judgment], None] | None = None
    ) -> list[Judgment]:
        def tick(final: bool) -> Callable[[ChatResult], None] | None:
            if progress is None:
                return None

            def on_result(result: ChatResult) -> None:
                judgment = self._judgment(result, final=final)
                if judgment is not None:  # unparseable first answers tick after their retry
                    progress(judgment)

            return on_result

        firsts = await self.model.generate(
            [self._request(item) for item in items], progress=tick(False)
        )
        out: list[Judgment | None] = [self._judgment(r, final=False) for r in firsts]
        redo = [i for i, j in enumerate(out) if j is None]
        if redo:
            seconds = await self.model.generate(
                [self._request(items[i], retry_of=firsts[i].text) for i in redo],
                progress=tick(True),
            )
            for i, result in zip(redo, seconds, strict=True):
                judgment = self._judgment(result, final=True)
                if judgment is not None and judgment.verdict == "error":
                    # the retry call failed: keep the first, unparseable text for inspection
                    judgment = judgment.model_copy(update={"raw": firsts[i].text})
                out[i] = judgment
        return [j for j in out if j is not None]

    async def aclose(self) -> None:
        """Release the judge model's client."""
        await self.model.aclose()
