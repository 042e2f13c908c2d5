#!/usr/bin/env bash
# make-speech.sh regenerates the speech half of the talk-off corpus:
# every speech-*.wav in this directory, manifest.json, SHA256SUMS and the
# file table in README.md.
#
# Each file is made in two steps:
#   espeak-ng -z -v VOICE -p PITCH -s SPEED -w raw.wav -- TEXT     (22050 Hz)
#   sox -D raw.wav -b 16 -e signed-integer -c 1 OUT.wav gain -6 [EFFECTS] rate -v 16000 gain -n PEAK
# -D turns dither off, so the output is a pure function of the input and
# the run is byte-for-byte repeatable with the same tool versions.
#
# CI does not have espeak-ng, so the WAVs are committed; run this script
# by hand (apt-get install espeak-ng sox) only to change the corpus, then
# check `go test ./internal/talkoff` (manifest and DTMF-oracle checks) and
# `git diff --stat`, and commit the result. With the versions named below,
# `sha256sum -c SHA256SUMS` passes after a run.
set -euo pipefail
export LC_ALL=C.UTF-8

cd "$(dirname "$0")"

want_espeak="1.51"
want_sox="v14.4.2"
have_espeak=$(espeak-ng --version | awk '{print $4}')
have_sox=$(sox --version | awk '{print $NF}')
if [[ $have_espeak != "$want_espeak" || $have_sox != "$want_sox" ]]; then
	echo "make-speech.sh: warning: espeak-ng $have_espeak, sox $have_sox;" \
		"the committed files were made with espeak-ng $want_espeak, sox $want_sox;" \
		"the output will differ" >&2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

manifest=$tmp/manifest.json
table=$tmp/table.md
printf '%s\n' '| file | language | voice | espeak-ng options | sox effects | seconds | peak |' \
	'| --- | --- | --- | --- | --- | --- | --- |' >"$table"
printf '[\n' >"$manifest"
first=1

# gen FILE LANGUAGE VOICE PITCH SPEED PEAK_DBFS TEXT [SOX_EFFECT...]
#
# LANGUAGE is a BCP 47 tag for the manifest; VOICE is the espeak-ng voice
# (language+variant). SOX_EFFECTs run before resampling and normalisation.
gen() {
	local file=$1 lang=$2 voice=$3 pitch=$4 speed=$5 peak=$6 text=$7
	shift 7
	espeak-ng -z -v "$voice" -p "$pitch" -s "$speed" -w "$tmp/raw.wav" -- "$text"
	sox -D "$tmp/raw.wav" -b 16 -e signed-integer -c 1 "$file" \
		gain -6 "$@" rate -v 16000 gain -n "$peak"

	local secs pk
	secs=$(soxi -D "$file")
	pk=$(sox "$file" -n stats 2>&1 | awk '/Pk lev dB/ {print $4}')
	local effects="${*:-}"
	printf '| `%s` | %s | `%s` | `-p %s -s %s` | `%s` | %.2f | %s |\n' \
		"$file" "$lang" "$voice" "$pitch" "$speed" \
		"gain -6 ${effects:+$effects }rate -v 16000 gain -n $peak" "$secs" "$pk" >>"$table"
	if ((first)); then first=0; else printf ',\n' >>"$manifest"; fi
	printf '  {"file": "%s", "kind": "speech", "language": "%s", "voice": "%s", "seconds": %.3f, "sampleRate": 16000, "peakDBFS": %s}' \
		"$file" "$lang" "$voice" "$secs" "$pk" >>"$manifest"
}

# English. Numbers read aloud are the classic talk-off case: callers read
# card and account numbers into IVRs while the receiver listens.
gen speech-en-gb-m3-numbers.wav en-GB en-gb+m3 50 160 -6 \
	"My card number is four one two seven, three three nine eight, zero zero five six."
gen speech-en-gb-f2-phrases.wav en-GB en-gb+f2 60 165 -6 \
	"Hello, thanks for calling back. Could we talk tomorrow at half past nine?"
gen speech-en-us-menu.wav en-US en-us 50 170 -6 \
	"Please listen carefully, as our menu options have changed. For billing, say billing."
gen speech-en-us-f4-child.wav en-US en-us+f4 99 175 -6 \
	"Mommy, mommy, can I have the blue balloon? Look, it's flying way up high, higher than the tree!"
gen speech-en-gb-m3-low-slow.wav en-GB en-gb+m3 20 125 -6 \
	"Well, yes, I believe the order went out on Tuesday the twenty third."
gen speech-en-us-klatt-numbers.wav en-US en-us+klatt 70 175 -6 \
	"Zero, one, two, three, four, five, six, seven, eight, nine, star, pound."
# Sustained vowels: steady voiced spectra far longer than a key. espeak-ng
# cannot hold a vowel, so sox tempo stretches it (pitch unchanged).
gen speech-en-gb-f5-vowels-high.wav en-GB en-gb+f5 95 80 -6 \
	"Aah. Eee. Ooh." tempo -s 0.5
gen speech-en-us-m3-vowels-low.wav en-US en-us+m3 35 80 -6 \
	"Um, aah. Ooh." tempo -s 0.5

# Other languages.
gen speech-de-numbers.wav de de 45 160 -6 \
	"Meine Telefonnummer ist null drei null, vier fünf sechs, sieben acht neun. Bitte rufen Sie zurück."
gen speech-de-f3-phrases.wav de de+f3 70 165 -6 \
	"Guten Morgen! Das Wetter ist heute wunderschön. Wir gehen mit den Kindern in den Park."
gen speech-fr-f2-phrases.wav fr-FR fr-fr+f2 65 160 -6 \
	"Bonjour, je voudrais réserver une table pour quatre personnes samedi soir, vers vingt heures."
gen speech-fr-numbers.wav fr-FR fr-fr 45 165 -6 \
	"Le numéro de dossier est le neuf, huit, sept, six, cinq, quatre. Appuyez sur la touche étoile."
gen speech-es-numbers.wav es es 50 165 -6 \
	"Llamo por la factura. El número de cliente es dos, cero, uno, nueve, tres, cuatro."
gen speech-es-419-f4-phrases.wav es-419 es-419+f4 85 170 -6 \
	"¡Qué alegría verte! ¿Vienes a la fiesta el sábado? Habrá música y baile."
gen speech-it-f2-phrases.wav it it+f2 60 165 -6 \
	"Pronto? Sì, sono io. Arrivo tra dieci minuti. Ci vediamo davanti alla stazione."
gen speech-pt-br-f2-numbers.wav pt-BR pt-br+f2 70 160 -6 \
	"O meu número é nove, oito, sete, seis, cinco, quatro, três, dois."
gen speech-pt-m3-phrases.wav pt-PT pt+m3 40 160 -6 \
	"A reunião foi adiada para quinta-feira, às três da tarde. Não se esqueça dos documentos."
gen speech-cmn-numbers.wav cmn cmn-latn-pinyin 50 150 -6 \
	"ni3 hao3, wo3 de dian4 hua4 hao4 ma3 shi4 yao1 san1 ba1, liu4 qi1 jiu3 ling2."
gen speech-cmn-f2-phrases.wav cmn cmn-latn-pinyin+f2 80 150 -6 \
	"jin1 tian1 tian1 qi4 hen3 hao3, wo3 men5 qu4 gong1 yuan2 san4 bu4 ba5."
gen speech-yue-phrases.wav yue yue 55 150 -6 \
	"你好，我十分鐘之後到。我嘅電話號碼係九八七六五四三二。"
gen speech-hi-f2-phrases.wav hi hi+f2 70 150 -6 \
	"नमस्ते, मेरा नाम अनीता है। एक दो तीन चार पाँच छह सात आठ नौ।"
gen speech-ru-numbers.wav ru ru 45 160 -6 \
	"Здравствуйте! Мой номер телефона: восемь, девять, один, шесть, три, ноль."
gen speech-ja-f4-phrases.wav ja ja+f4 75 150 -6 \
	"でんわばんごうは、ぜろ、きゅう、ぜろ、いち、に、さん、よん、です。"
gen speech-ar-numbers.wav ar ar 50 150 -6 \
	"مرحبا، رقم هاتفي هو واحد اثنان ثلاثة أربعة خمسة ستة."

# Level extremes: a shouted caller near full scale and quiet ones far
# below, so a receiver's level-dependent thresholds are exercised.
gen speech-en-us-f3-loud.wav en-US en-us+f3 80 180 -1 \
	"Hello? Hello! Can you hear me? The signal is terrible! Call me back on seven seven zero!"
gen speech-de-m3-loud.wav de de+m3 55 170 -1 \
	"Achtung, Achtung! Der Zug nach München fährt heute von Gleis neun ab. Bitte nicht einsteigen!"
gen speech-fr-f5-quiet.wav fr-FR fr-fr+f5 90 160 -30 \
	"Chut, le bébé dort. On parlera plus tard, d'accord? Je t'appelle vers neuf heures et demie."
gen speech-en-gb-m3-quiet.wav en-GB en-gb+m3 45 165 -30 \
	"Sorry, I can't talk now, I'm in the library. Give me five minutes and I'll ring you back on the office line."

printf '\n]\n' >>"$manifest"
mv "$manifest" manifest.json
sha256sum speech-*.wav >SHA256SUMS

# Replace the table between the markers in README.md.
if [[ -f README.md ]]; then
	awk -v table="$table" '
		/<!-- BEGIN FILES -->/ { print; while ((getline line <table) > 0) print line; skip = 1; next }
		/<!-- END FILES -->/ { skip = 0 }
		!skip { print }
	' README.md >"$tmp/README.md"
	mv "$tmp/README.md" README.md
fi
