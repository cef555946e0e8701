from tests.conftest import post_work
def test_show(client, alice):
    work = post_work(alice, "The Long Watch", fandoms=["Lighthouses"], categories=["Gen"], relationships=["Keeper & Gull"], freeforms=["Slow Burn"], summary="<p>A keeper</p>", begin_notes="notes", end_notes="end", chapters=["<p>x</p>", "<p>y</p>"])
    print(client.get(f"/works/{work.pk}").content.decode())
