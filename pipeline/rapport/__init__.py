"""The yearly monitor report (`banenafspraak rapport`, asset publicatie/rapport): what the Kamerbrief
and the UWV dashboard show for one year, as one self-contained HTML page built from the published
analyst file."""
