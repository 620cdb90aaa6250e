"""Strings of the prompt widgets (Midjourney: one word, another picture; refine in small steps), in English."""

STRINGS = {
    # --- shared by both widgets -------------------------------------------------------
    "prompts.role.core": "core word",
    "prompts.role.modifier": "modifier",
    "prompts.role.unknown": "unknown word",
    "prompts.role.filler": "glue word",
    "prompts.alt": "An abstract picture the tiny model drew for the prompt “{prompt}”.",
    "prompts.alt_empty": "An abstract picture the tiny model drew from no words at all: the zero point of the cloud of features.",
    "prompts.no_words": "The prompt “{which}” has no words the model can read, so it draws from the zero point.",
    "prompts.no_words_blank": "The prompt is empty, so the model draws from the zero point.",
    "prompts.list_sep": ", ",
    # --- prompt-to-image ----------------------------------------------------------------
    "prompt-to-image.title": "One word, another picture",
    "prompt-to-image.caption": (
        "A tiny picture model running right in your browser. Every word it knows is a point in a cloud of 32 features, "
        "and the prompt is the sum of its points. A small network draws every pixel from that vector. The model has no "
        "idea what a cat looks like; it only shows how nearby vectors give similar pictures, and distant vectors give "
        "different ones. Change one word and check how much the picture changes. You can write in English or Hebrew."
    ),
    "prompt-to-image.prompt_a": "First prompt",
    "prompt-to-image.prompt_b": "Second prompt",
    "prompt-to-image.default_a": "cat at sunset",  # the prompts a page starts from
    "prompt-to-image.default_b": "cat in the evening",
    "prompt-to-image.draw": "Draw",
    "prompt-to-image.words_label": "The words as the model read them",
    "prompt-to-image.alt_diff": "{pct}% of the shades differ from the first picture.",
    "prompt-to-image.stats": "Distance between the vectors: {dist} · difference in pixels: {pct}",
    "prompt-to-image.scale_hint": "For comparison: swapping a core word moves the vector by about 4, and a modifier such as a colour moves it by about 0.5.",
    "prompt-to-image.same_text": "Exactly the same prompt, so the same picture, byte for byte.",
    "prompt-to-image.same_concepts": "The spelling differs, but the concepts are the same (Hebrew against English, for example), so the vector and the picture are the same.",
    "prompt-to-image.core_changed": "The core word “{old}” was replaced by “{new}”: the vector jumped far, and the picture changed almost completely. This is the new path the article describes.",
    "prompt-to-image.core_added": "A core word was added: “{new}”. The vector jumped far, and the picture changed almost completely. This is the new path the article describes.",
    "prompt-to-image.core_removed": "A core word was removed: “{old}”. The vector jumped far, and the picture changed almost completely.",
    "prompt-to-image.unknown_changed": "A word the model does not know, “{new}” instead of “{old}”, moved the vector a medium distance, and the picture changed accordingly.",
    "prompt-to-image.unknown_added": "A word the model does not know was added, “{new}”: it moved the vector a medium distance, and the picture changed accordingly.",
    "prompt-to-image.unknown_removed": "A word the model does not know was removed, “{old}”: the vector moved a medium distance, and the picture changed accordingly.",
    "prompt-to-image.modifier_changed": "Only a modifier changed: “{new}” instead of “{old}”. The vector moved a little, and the picture stayed close to the previous one.",
    "prompt-to-image.modifier_added": "A modifier was added: “{new}”. The vector moved a little, and the picture stayed close to the previous one.",
    "prompt-to-image.modifier_removed": "A modifier was removed: “{old}”. The vector moved a little, and the picture stayed close to the previous one.",
    "prompt-to-image.summary": "First prompt: “{a}”. Second prompt: “{b}”. Distance between the vectors {dist}, difference in pixels {pct}%.",
    # --- refine-steps ----------------------------------------------------------------------
    "refine-steps.title": "Refine in small steps",
    "refine-steps.caption": (
        "Start from a base description and add one modifier at a time: a colour, an angle or the lighting. Each "
        "modifier moves the vector a little, and the picture stays close to the first one. Swapping a core word makes "
        "the picture jump somewhere else entirely. The chart shows how far each picture is from the first."
    ),
    "refine-steps.base": "Base description",
    "refine-steps.default_base": "cat at sunset",  # the base a page starts from
    "refine-steps.modifier": "Modifier",
    "refine-steps.add": "Add the modifier",
    "refine-steps.core": "New core word",
    "refine-steps.swap": "Swap the core word",
    "refine-steps.reset": "Start over",
    "refine-steps.opt.red": "Colour: red",
    "refine-steps.opt.blue": "Colour: blue",
    "refine-steps.opt.green": "Colour: green",
    "refine-steps.opt.yellow": "Colour: yellow",
    "refine-steps.opt.purple": "Colour: purple",
    "refine-steps.opt.pink": "Colour: pink",
    "refine-steps.opt.orange": "Colour: orange",
    "refine-steps.opt.from-above": "Angle: from above",
    "refine-steps.opt.from-below": "Angle: from below",
    "refine-steps.opt.close-up": "Angle: close-up",
    "refine-steps.opt.wide-shot": "Angle: wide shot",
    "refine-steps.opt.soft-light": "Lighting: soft",
    "refine-steps.opt.hard-light": "Lighting: hard",
    "refine-steps.opt.dim-light": "Lighting: dim",
    "refine-steps.opt.evening": "Time: evening",
    "refine-steps.opt.sunset": "Time: sunset",
    "refine-steps.opt.night": "Time: night",
    "refine-steps.opt.morning": "Time: morning",
    "refine-steps.opt.sunrise": "Time: sunrise",
    "refine-steps.opt.sea": "Place: sea",
    "refine-steps.opt.city": "Place: city",
    "refine-steps.opt.forest": "Place: forest",
    "refine-steps.opt.desert": "Place: desert",
    "refine-steps.opt.dog": "Subject: dog",
    "refine-steps.opt.horse": "Subject: horse",
    "refine-steps.opt.bird": "Subject: bird",
    "refine-steps.opt.robot": "Subject: robot",
    "refine-steps.opt.cat": "Subject: cat",
    "refine-steps.strip_label": "The pictures in order, from the base to the last step",
    "refine-steps.step_base": "base",
    "refine-steps.step_add": "+ {word}",
    "refine-steps.step_swap": "{old} → {new}",
    "refine-steps.step_alt": "Step {step}: “{prompt}”. {pct}% of the shades differ from the first picture.",
    "refine-steps.move_base": "This is the starting point. Add one modifier at a time, then try swapping the core word and compare.",
    "refine-steps.move_add": "The modifier “{word}” was added: the picture moved {step}% from the previous one and {total}% from the first. The composition stays.",
    "refine-steps.move_swap": "The core word “{old}” was replaced by “{new}”: a jump of {step}% from the previous one. This is a new visual path.",
    "refine-steps.move_append": "The description had no core word of this kind, so “{new}” was added: a jump of {step}% from the previous one.",
    "refine-steps.already": "The modifier “{word}” is already in the description; pick another one.",
    "refine-steps.same_core": "“{word}” is already the core word of the description; pick another word.",
    "refine-steps.full": "The strip is full ({count} pictures). Start over to try another path.",
    "refine-steps.plot_title": "How far each picture is from the first",
    "refine-steps.plot_desc": "Number of steps: {steps}. The last picture is {last}% away from the first; the biggest jump in a single step was {jump}%.",
    "refine-steps.series": "distance from the first picture",
    "refine-steps.x_label": "step",
    "refine-steps.y_label": "difference in pixels (%)",
    "refine-steps.summary": "The description now: “{prompt}”. Number of steps: {steps}; the picture is {total}% away from the first.",
    "refine-steps.at_step": "Step {step} is on show; the next modifier or swap will go on from it and replace the {later} steps after it.",
    # --- grounding ------------------------------------------------------------------------
    "grounding.title": "Facts inside the question",
    "grounding.caption": (
        "A question about a made-up café, “Tamar's Corner”, that the model never met in training. In the first answer "
        "it replies only from what it learned, and in the second the facts in the box are pasted into the question. "
        "Change a fact – an hour, the phone number or a dish – and check whether the answer changes with it."
    ),
    "grounding.facts": "The facts pasted into the question (“Base your answer on the following information”)",
    "grounding.default_facts": "Tamar's Corner is open on Fridays from 7:30 to 14:00. The phone: 03-5551234. The dish to try: shakshuka with feta.",
    "grounding.question": "The question",
    "grounding.q_hours": "When is the café “Tamar's Corner” open on Friday?",
    "grounding.q_phone": "What is the phone number of “Tamar's Corner”?",
    "grounding.q_dish": "What should I order at “Tamar's Corner”?",
    "grounding.start_hours": "Tamar's Corner is open on Fridays",
    "grounding.start_phone": "You can call Tamar's Corner on the phone",
    "grounding.start_dish": "At Tamar's Corner, the dish to try",
    "grounding.weight": "Weight of the facts: what part of each guess comes from them",
    "grounding.ask": "Ask",
    "grounding.without": "Without facts – only what the model learned in training:",
    "grounding.with": "With the facts from the box:",
    "grounding.seen_label": "What the model read before answering on the facts side (the words it copied are marked):",
    "grounding.instruction": "Base your answer on the following information:",
    "grounding.none": "(no facts)",
    "grounding.token_title": "confidence {percent}%",
    "grounding.token_copied": "copied from the facts · confidence {percent}%",
    "grounding.legend_0": "under 10%",
    "grounding.legend_1": "10%–30%",
    "grounding.legend_2": "30%–60%",
    "grounding.legend_3": "60% and over",
    "grounding.legend_copied": "copied from the facts",
    "grounding.legend_new": "a word the model never met in training",
    "grounding.stats": "In the answer with the facts {copied} of the {total} words were copied from the facts, and the model never saw {new} of them in training.",
    "grounding.explain": (
        "How it works: at every step the model looks in the facts for the last word it wrote (and if it can, the last "
        "two) and suggests the word that came after it there. {weight} of each guess comes from that suggestion, and "
        "the rest ({rest}) from the statistics of training. Not one of the model's weights changed: the facts only "
        "added probability to their own words, for this answer alone. This is the “momentary addition to the weights” "
        "the article talks about. Words that appear only in the facts, such as an hour or a phone number, the model "
        "can write only by copying."
    ),
    "grounding.empty": "The facts box is empty, so the model has only what it learned in training, and the two answers are the same. Write a fact in the box, for example: “Tamar's Corner is open on Fridays from 8:00 to 16:00.”",
    "grounding.zero_weight": "The weight of the facts is 0: the facts are in the question, but the model gives them no weight at all, so it answers as if it had not read them.",
    "grounding.no_match": "No word of the answer appears in the facts, so the copying had nothing to go on from. Write the facts in the article's language, in whole sentences that mention what is asked – for example “The phone: 03-5551234.”",
    "grounding.cut": "The model reads only the first {chars} characters and {tokens} words of the facts; the rest does not get into the question.",
    "grounding.summary": "Without facts: “{bare}” · with the facts: “{grounded}” ({copied} of the {total} words copied from the facts).",
    # --- summarize-refresh ----------------------------------------------------------------
    "summarize-refresh.title": "Sum up to refresh the window",
    "summarize-refresh.caption": (
        "A long conversation with a chatbot that sees only the last words. At the start Dana tells it two facts; then "
        "comes small talk, and the facts are pushed out of the window (in grey). Ask the bot about a fact from the "
        "start, then press “Sum up the main points” and ask again."
    ),
    "summarize-refresh.window": "Window size: how many of the last words the bot sees",
    "summarize-refresh.talk": "Add 5 messages of small talk",
    "summarize-refresh.summarize": "Sum up the main points",
    "summarize-refresh.question": "A question about something from the start of the conversation",
    "summarize-refresh.ask": "Ask",
    "summarize-refresh.reset": "Start over",
    "summarize-refresh.turn_0": "Hello, Dana is my name. I am allergic to peanuts.",
    "summarize-refresh.turn_1": "Nice to meet you, Dana! How can I help?",
    "summarize-refresh.turn_2": "Pistachio is my little dog, and I love him.",
    "summarize-refresh.turn_3": "Such a sweet name! Tell me more.",
    "summarize-refresh.summary_opening": "Before we go on, a short summary:",
    "summarize-refresh.q_allergy": "What am I allergic to?",
    "summarize-refresh.q_dog": "Who is my dog?",
    "summarize-refresh.q_name": "What is my name?",
    "summarize-refresh.a_allergy": "You are allergic to {answer}.",
    "summarize-refresh.a_dog": "Your dog is {answer}.",
    "summarize-refresh.a_name": "Your name is {answer}.",
    "summarize-refresh.dont_know": "I have no idea. There is nothing about that in my window.",
    "summarize-refresh.who_user": "Dana:",
    "summarize-refresh.who_bot": "The bot:",
    "summarize-refresh.who_summary": "Dana (summary):",
    "summarize-refresh.status_out-of-window": "(outside the window)",
    "summarize-refresh.status_partial": "(only its end is in the window)",
    "summarize-refresh.marker": "▼ The window starts here: the bot no longer sees what is above the line",
    "summarize-refresh.marker_all": "▼ The whole conversation is still inside the window",
    "summarize-refresh.stats": "The conversation has {total} words. The bot sees the last {window}; {out} words are already outside the window.",
    "summarize-refresh.source": "The sentence in the window most like the question, from which the bot copied its answer: “{clause}”",
    "summarize-refresh.verdict_right": "Right. The fact is inside the window, and the bot found it there.",
    "summarize-refresh.verdict_wrong": "Wrong! The fact has left the window, and the bot grabbed another sentence that looks like the question – and answers with full confidence.",
    "summarize-refresh.verdict_unknown": "The fact is already outside the window, and no sentence in the window looks like the question. A real bot would usually make up an answer here; try “Sum up the main points” and ask again.",
    "summarize-refresh.nothing": "There is nothing to sum up yet.",
    "summarize-refresh.again": "The last summary already holds the main points, and it is still at the end of the conversation.",
    "summarize-refresh.full": "The conversation has reached {count} messages. Start over to try again.",
    "summarize-refresh.explain": (
        "How it works: to answer, the bot looks in the window for the sentence that shares the most words with the "
        "question (a rare word counts for more), and copies from it the words that were not in the question. It does "
        "not see what is outside the window at all. The summary is Dana's own sentences, up to {budget} words: "
        "sentences with rare words – names, allergies, numbers – come first, not small talk. It is written at the end "
        "of the conversation, so it is inside the window again. More long small talk will push it out too."
    ),
    "summarize-refresh.summary": "The conversation has {total} words, the window {window} words, {out} words outside the window.",
    "summarize-refresh.summary_answer": "Question: {question} The bot's answer: {reply}",
}
