"""The 2023 archive entry's lead and press release, as the announcement of 2023 read.

The text is Operation Kvinnofrid's own (the source the 2023 citation comes from); the
platform's page adds the standing paragraphs (the prize, the partners, the ordinal).
"""

from django.db import migrations

LEAD_2023 = (
    "Sektionen får priset för sitt långsiktiga arbetet med att göra skillnad för dem som "
    "utsätts eller utsatts för brott i nära relation."
)

PRESS_RELEASE_2023 = """\
För fem år sedan började polisområde Stockholm Syd att satsa på ärenden inom kategorin brott i \
nära relation. Personalstyrkan har fördubblats och det märks bland annat genom att det nu finns \
grupper i varje lokalpolisområde i södra Stockholm för att kunna jobba lokalt med både interna \
och externa samverkansparter, som exempelvis socialtjänsten. Arbetssättet har skapat bättre \
förutsättningar för att jobba med brottsförebyggande åtgärder och att agera tidigare där brott \
begås.

Brott i nära relation (BIN)-sektionen erbjuder även så kallade riskreducerande samtal till \
personer med hög risk att återfalla i brott i nära relationer.

### Bred samverkan

– De personer som utsätts för brott i nära relation, vilka framför allt är kvinnor och barn, \
har rätt till samhällets snabba stöd och insatser. För att göra skillnad och agera snabbt \
behöver flera aktörer arbeta tillsammans. Arbetet som genomförs av brott i nära \
relationer-sektionen i polisområde Stockholm syd är ett bra exempel på det. Vi behöver mer av \
den här breda samverkan, att koppla ihop samhällets olika delar, för att gemensamt göra \
skillnad, säger Anna Kinberg Batra, ordförande för Operation Kvinnofrid och landshövding i \
Stockholms län.

### ”Göra skillnad på riktigt”

Michael Johansson är sektionschef vid BIN-sektionen i polisområde Stockholm syd. Under fredagen \
tog han och medarbetare från BIN-sektionen emot Kvinnofridspriset på Operation Kvinnofrids \
årliga konferens, i år med temat rättssäkerhet och kvalitet i brottsutredningar.

– Vi är väldigt glada och tacksamma över att vårt arbete uppmärksammas, inte minst för alla \
kvinnor där ute som levt eller lever i relationer där de utsätts för våld och som de har svårt \
att ta sig ur. Vi har bestämt oss för att på riktigt göra skillnad för våra särskilt utsatta \
brottsoffer och nu har vi fått mycket bättre förutsättningar att göra det.
"""


def load(apps, schema_editor):
    Announcement = apps.get_model("publication", "Announcement")
    Announcement.objects.filter(edition__year=2023).update(
        lead=LEAD_2023, press_release=PRESS_RELEASE_2023
    )


def unload(apps, schema_editor):
    Announcement = apps.get_model("publication", "Announcement")
    Announcement.objects.filter(edition__year=2023).update(lead="", press_release="")


class Migration(migrations.Migration):
    dependencies = [("publication", "0003_announcement_workflow")]

    operations = [migrations.RunPython(load, unload)]
