"""Strings of the training widgets (the article's first four sections)."""
STRINGS = {
    "trial-error.title": "ניסוי, שגיאה ותיקון",
    "trial-error.caption": "המודל מנחש את גובה המדף מהתמונה בחוברת, מודד בכמה פספס, ומתקן חלק מהטעות. כמה באומץ לתקן? נסו.",
    "trial-error.boldness": "כמה באומץ לתקן (חלק מהטעות)",
    "trial-error.step": "ניסיון אחד",
    "trial-error.finish": "להריץ עד הסוף",
    "trial-error.reset": "להתחיל מחדש",
    "trial-error.series_guess": "ניחוש",
    "trial-error.plot_title": "הניחושים מתקרבים לגובה הנכון",
    "trial-error.plot_desc": "אחרי {tries} ניסיונות הניחוש הוא {last} ס״מ; הגובה הנכון הוא {target} ס״מ (הקו המקווקו).",
    "trial-error.x_label": "ניסיון",
    "trial-error.y_label": "גובה (ס״מ)",
    "trial-error.stats": "ניסיונות: {tries} · ניחוש אחרון: {guess} ס״מ · טעות: {error} ס״מ",
    "trial-error.summary": "אחרי {tries} ניסיונות הניחוש הוא {guess} ס״מ, טעות של {error} ס״מ.",
    "trial-error.settled": "המדף במקום: הטעות קטנה מחצי סנטימטר אחרי {tries} ניסיונות.",
    "trial-error.diverging": "התיקון נועז מדי: כל תיקון מפספס לצד השני ביותר, והניחוש מתרחק.",
    "trial-error.not_yet": "עוד לא שם. כל ניסיון מקטין את הטעות.",
}
